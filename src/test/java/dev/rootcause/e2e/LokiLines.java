package dev.rootcause.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WireMock response transformer ({@value #NAME}) that answers Loki's {@code GET /loki/api/v1/query_range}
 * log queries from lines the test adds as its clients log them: the stream selector's {@code label="value"}
 * matchers and {@code |=} / {@code |~} line filters are applied, then the window ({@code start} inclusive,
 * {@code end} exclusive, nanoseconds), {@code direction} and {@code limit}, as Loki does. The answer has
 * Loki's shape ({@code status}, {@code data.resultType = streams}, one entry per label set with
 * {@code [nanos, line]} values). Metric queries ({@code count_over_time}) are answered 400 in Loki's
 * text/plain style: the flows do not ask for them.
 */
final class LokiLines implements ResponseDefinitionTransformerV2 {

    static final String NAME = "loki-lines";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern FILTER = Pattern.compile("\\|([=~])\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One log line: its time, its stream's labels, its text. */
    record Line(Instant time, Map<String, String> labels, String text) {
    }

    private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();

    /** Adds a line, as a log shipper would push it. */
    void add(Instant time, Map<String, String> labels, String text) {
        lines.add(new Line(time, labels, text));
    }

    int size() {
        return lines.size();
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        String query = param(request, "query");
        if (query == null || !query.trim().startsWith("{")) {
            return text(400, "parse error : only log queries are served by this test's Loki, got: " + query);
        }
        long start = Long.parseLong(param(request, "start"));
        long end = Long.parseLong(param(request, "end"));
        int limit = Integer.parseInt(param(request, "limit") == null ? "100" : param(request, "limit"));
        boolean backward = !"forward".equals(param(request, "direction"));

        String selector = query.substring(query.indexOf('{') + 1, query.indexOf('}'));
        Map<String, String> want = new LinkedHashMap<>();
        Matcher m = MATCHER.matcher(selector);
        while (m.find()) {
            want.put(m.group(1), unquote(m.group(2)));
        }
        List<Pattern> regexes = new ArrayList<>();
        List<String> contains = new ArrayList<>();
        Matcher f = FILTER.matcher(query.substring(query.indexOf('}') + 1));
        while (f.find()) {
            if ("~".equals(f.group(1))) {
                regexes.add(Pattern.compile(unquote(f.group(2))));
            } else {
                contains.add(unquote(f.group(2)));
            }
        }
        List<Line> hits = lines.stream()
                .filter(l -> want.entrySet().stream().allMatch(e -> e.getValue().equals(l.labels().get(e.getKey()))))
                .filter(l -> regexes.stream().allMatch(r -> r.matcher(l.text()).find()))
                .filter(l -> contains.stream().allMatch(c -> l.text().contains(c)))
                .filter(l -> nanos(l.time()) >= start && nanos(l.time()) < end)
                .sorted(backward ? Comparator.comparing(Line::time).reversed() : Comparator.comparing(Line::time))
                .limit(limit).toList();

        Map<Map<String, String>, ArrayNode> streams = new LinkedHashMap<>();
        for (Line l : hits) {
            streams.computeIfAbsent(l.labels(), k -> JSON.createArrayNode()).addArray().add(Long.toString(nanos(l.time()))).add(l.text());
        }
        ObjectNode body = JSON.createObjectNode().put("status", "success");
        ObjectNode data = body.putObject("data").put("resultType", "streams");
        ArrayNode result = data.putArray("result");
        streams.forEach((labels, values) -> {
            ObjectNode s = result.addObject();
            labels.forEach(s.putObject("stream")::put);
            s.set("values", values);
        });
        data.putObject("stats");
        return ResponseDefinitionBuilder.responseDefinition().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(body.toString()).build();
    }

    private static ResponseDefinition text(int status, String message) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "text/plain; charset=utf-8").withBody(message).build();
    }

    private static String param(Request request, String name) {
        var p = request.queryParameter(name);
        return p.isPresent() ? p.firstValue() : null;
    }

    /** The Go string literal's content (LogQL strings are Go strings): {@code \\} and {@code \"} unescaped. */
    private static String unquote(String s) {
        return s.replaceAll("\\\\([\\\\\"])", "$1");
    }

    static long nanos(Instant t) {
        return ChronoUnit.NANOS.between(Instant.EPOCH, t);
    }
}
