package dev.rootcause.source.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.source.BackendHttp;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link LogSource} on Loki's HTTP API: {@code GET /loki/api/v1/query_range} (times in nanoseconds since
 * the epoch). Lines: a log query, {@code direction=backward}, resultType {@code streams}; counts:
 * {@code sum(count_over_time(<query>[<window>s]))} evaluated once per window piece, resultType
 * {@code matrix}. Windows as long as {@code max_query_length} or longer are split into pieces strictly
 * shorter; {@code limit} is capped at {@code max_entries_limit_per_query}; a page that comes back full
 * means more lines matched (truncated). Loki's errors are text/plain and reach evidence as they are.
 * Selected by {@code rootcause.sources.logs.kind=loki}.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.logs.kind", stringValue = "loki")
public class LokiLogSource implements LogSource {

    static final String PATH = "/loki/api/v1/query_range";

    private final LogsConfig config;
    private final ObjectMapper json;
    private final BackendHttp http;

    LokiLogSource(LogsConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = new BackendHttp("Loki", config);
    }

    @Override
    public String name() {
        return "loki";
    }

    @Override
    public String render(String template, Map<String, String> vars) throws SourceException {
        return LogQl.render(template, vars);
    }

    @Override
    public Lines lines(String query, Instant start, Instant end, int limit) throws SourceException {
        List<String> notes = new ArrayList<>();
        int cap = Math.min(limit, config.maxEntries());
        if (cap < limit) {
            notes.add("limit " + limit + " capped at Loki's max_entries_limit_per_query " + config.maxEntries());
        }
        List<Instant[]> pieces = pieces(start, end, notes);
        List<Line> out = new ArrayList<>();
        boolean truncated = false;
        for (Instant[] piece : pieces) { // newest first
            int want = cap - out.size();
            Map<String, String> p = params(query, piece[0], piece[1]);
            p.put("limit", Integer.toString(want));
            p.put("direction", "backward");
            JsonNode data = data(http.get(PATH, p));
            if (!"streams".equals(data.path("resultType").asText())) {
                throw new SourceException(Evidence.Status.ERROR, "Loki answered resultType \"" + data.path("resultType").asText()
                        + "\": a log query (not a metric query) is needed for lines");
            }
            int got = 0;
            for (JsonNode stream : data.path("result")) {
                Map<String, String> labels = new LinkedHashMap<>();
                stream.path("stream").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
                for (JsonNode v : stream.path("values")) {
                    out.add(new Line(nanos(v.get(0).asText()), labels, v.get(1).asText()));
                    got++;
                }
            }
            if (got >= want) {
                truncated = true; // a full page: Loki had more to give
                break;
            }
        }
        out.sort(Comparator.comparing(Line::time).reversed());
        return new Lines(out.subList(0, Math.min(cap, out.size())), truncated, notes);
    }

    @Override
    public Count count(String query, Instant start, Instant end) throws SourceException {
        List<String> notes = new ArrayList<>();
        long total = 0;
        for (Instant[] piece : pieces(start, end, notes)) {
            long seconds = Math.max(1, Duration.between(piece[0], piece[1]).toSeconds());
            // one evaluation at the piece's end whose range is the piece: every line counted once
            Map<String, String> p = params("sum(count_over_time(" + query + " [" + seconds + "s]))", piece[1], piece[1]);
            p.put("step", seconds + "s");
            JsonNode data = data(http.get(PATH, p));
            String type = data.path("resultType").asText();
            if (!"matrix".equals(type) && !"vector".equals(type)) {
                throw new SourceException(Evidence.Status.ERROR, "Loki answered resultType \"" + type + "\" to a count");
            }
            for (JsonNode series : data.path("result")) {
                // matrix: "values"; a vector (an older Loki answering a one-point range): "value"
                JsonNode points = series.has("values") ? series.get("values") : json.createArrayNode().add(series.path("value"));
                for (JsonNode point : points) {
                    total += (long) Double.parseDouble(point.get(1).asText("0"));
                }
            }
        }
        return new Count(total, false, notes);
    }

    @Override
    public String link(String query, Instant start, Instant end) {
        if (config.uiUrl().isEmpty()) {
            return null;
        }
        var left = json.createObjectNode();
        left.put("datasource", config.uiDatasource());
        left.putArray("queries").addObject().put("refId", "A").put("expr", query);
        left.putObject("range").put("from", Long.toString(start.toEpochMilli())).put("to", Long.toString(end.toEpochMilli()));
        return config.uiUrl().get().toString().replaceAll("/+$", "") + "/explore?left="
                + URLEncoder.encode(left.toString(), StandardCharsets.UTF_8);
    }

    /** The window in pieces strictly shorter than max_query_length, newest first. */
    List<Instant[]> pieces(Instant start, Instant end, List<String> notes) {
        Duration max = config.maxQueryLength().minusSeconds(1);
        List<Instant[]> out = new ArrayList<>();
        Instant to = end;
        while (to.isAfter(start)) {
            Instant from = Duration.between(start, to).compareTo(max) > 0 ? to.minus(max) : start;
            out.add(new Instant[] {from, to});
            to = from;
        }
        if (out.isEmpty()) {
            out.add(new Instant[] {start, end});
        }
        if (out.size() > 1) {
            notes.add("window split into " + out.size() + " queries (Loki max_query_length " + config.maxQueryLength().toHours() + "h)");
        }
        return out;
    }

    private Map<String, String> params(String query, Instant start, Instant end) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("query", query);
        p.put("start", Long.toString(ChronoUnit.NANOS.between(Instant.EPOCH, start)));
        p.put("end", Long.toString(ChronoUnit.NANOS.between(Instant.EPOCH, end)));
        return p;
    }

    private JsonNode data(String body) throws SourceException {
        try {
            JsonNode tree = json.readTree(body);
            if (!"success".equals(tree.path("status").asText())) {
                throw new SourceException(Evidence.Status.ERROR, "Loki answered status " + tree.path("status").asText("(none)"));
            }
            return tree.path("data");
        } catch (java.io.IOException e) {
            throw new SourceException(Evidence.Status.ERROR, "Loki answer unreadable: " + e.getClass().getSimpleName());
        }
    }

    public static Instant nanos(String text) {
        long ns = Long.parseLong(text);
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }
}
