package dev.rootcause.source.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.source.BackendHttp;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link LogSource} on Elasticsearch / OpenSearch: {@code POST /<index>/_search} (a {@code query_string}
 * query filtered to the window, newest first) and {@code POST /<index>/_count}. {@code $name} values are
 * escaped for the query-string syntax: inside a quoted phrase only {@code \} and {@code "}, elsewhere every
 * reserved character. Selected by {@code rootcause.sources.logs.kind=elasticsearch}.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.logs.kind", stringValue = "elasticsearch")
public class ElasticsearchLogSource implements LogSource {

    private static final Pattern NAME = Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)");
    private static final String RESERVED = "+-=&|><!(){}[]^\"~*?:\\/ ";

    private final LogsConfig config;
    private final ObjectMapper json;
    private final BackendHttp http;

    ElasticsearchLogSource(LogsConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = new BackendHttp("Elasticsearch", config);
    }

    @Override
    public String name() {
        return "elasticsearch";
    }

    @Override
    public String render(String template, Map<String, String> vars) throws SourceException {
        StringBuilder out = new StringBuilder();
        Matcher m = NAME.matcher(template);
        int last = 0;
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new SourceException(Evidence.Status.ERROR, "query uses $" + m.group(1) + ", which has no value");
            }
            String before = template.substring(last, m.start());
            out.append(before);
            boolean inPhrase = (template.substring(0, m.start()).replace("\\\"", "").chars().filter(c -> c == '"').count() % 2) == 1;
            for (char c : value.toCharArray()) {
                if (inPhrase ? c == '"' || c == '\\' : RESERVED.indexOf(c) >= 0) {
                    out.append('\\');
                }
                out.append(c);
            }
            last = m.end();
        }
        return out.append(template.substring(last)).toString();
    }

    @Override
    public Lines lines(String query, Instant start, Instant end, int limit) throws SourceException {
        List<String> notes = new ArrayList<>();
        int size = Math.min(limit, config.maxEntries());
        if (size < limit) {
            notes.add("limit " + limit + " capped at " + config.maxEntries() + " (rootcause.sources.logs.max-entries)");
        }
        ObjectNode body = search(query, start, end);
        body.put("size", size);
        body.put("track_total_hits", true);
        body.putArray("sort").addObject().putObject(config.timestampField()).put("order", "desc");
        JsonNode hits = read(http.postJson("/" + config.index() + "/_search", body.toString())).path("hits");
        List<Line> out = new ArrayList<>();
        for (JsonNode hit : hits.path("hits")) {
            JsonNode src = hit.path("_source");
            Map<String, String> labels = new LinkedHashMap<>();
            src.properties().forEach(e -> {
                if (e.getValue().isValueNode() && labels.size() < 20) {
                    labels.put(e.getKey(), e.getValue().asText());
                }
            });
            JsonNode message = field(src, config.messageField());
            JsonNode time = field(src, config.timestampField());
            out.add(new Line(time.isTextual() ? Instant.parse(time.asText()) : Instant.ofEpochMilli(time.asLong()), labels,
                    message.isMissingNode() ? src.toString() : message.asText()));
        }
        long total = hits.path("total").path("value").asLong(out.size());
        boolean truncated = total > out.size() || "gte".equals(hits.path("total").path("relation").asText()) && out.size() >= size;
        return new Lines(out, truncated, notes);
    }

    @Override
    public Count count(String query, Instant start, Instant end) throws SourceException {
        JsonNode answer = read(http.postJson("/" + config.index() + "/_count", search(query, start, end).toString()));
        return new Count(answer.path("count").asLong(), false, List.of());
    }

    @Override
    public String link(String query, Instant start, Instant end) {
        return null;
    }

    private ObjectNode search(String query, Instant start, Instant end) {
        ObjectNode body = json.createObjectNode();
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("range").putObject(config.timestampField()).put("gte", start.toString())
                .put("lte", end.toString()).put("format", "strict_date_optional_time");
        filter.addObject().putObject("query_string").put("query", query);
        return body;
    }

    private static JsonNode field(JsonNode src, String path) {
        if (src.has(path)) {
            return src.get(path);
        }
        JsonNode n = src;
        for (String part : path.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    private JsonNode read(String body) throws SourceException {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new SourceException(Evidence.Status.ERROR, "Elasticsearch answer unreadable: " + e.getClass().getSimpleName());
        }
    }
}
