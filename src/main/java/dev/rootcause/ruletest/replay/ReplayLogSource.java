package dev.rootcause.ruletest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.source.logs.LogQl;
import dev.rootcause.source.logs.LokiLogSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link LogSource} answering from recordings, for rule tests. The file ({@code logs.json}) is a list of
 * {@code {"query": "<LogQL as sent>", "answer": <Loki query_range body: streams>}} or, for counts,
 * {@code {"query": ..., "count": n}}; a query with no recording is an error, as an unreachable Loki would be.
 * Queries are rendered as Loki's would be. Optional per entry: {@code start} and {@code end} (RFC 3339; the
 * entry then answers that window only, before any entry of the same query without a window),
 * {@code truncated} (lines; default: more lines than the limit), {@code lowerBound} (counts; default false)
 * and {@code notes} (a list of texts).
 */
public final class ReplayLogSource implements LogSource {

    private final Map<String, JsonNode> answers = new HashMap<>();
    private final Map<String, JsonNode> byWindow = new HashMap<>();

    /** @throws IOException when the file cannot be read or is not a list of recordings */
    public ReplayLogSource(Path recordings, ObjectMapper json) throws IOException {
        JsonNode list = json.readTree(recordings.toFile());
        if (!list.isArray()) {
            throw new IOException(recordings + ": expected a list of {query, answer | count}");
        }
        for (JsonNode r : list) {
            if (r.has("start") && r.has("end")) {
                try {
                    byWindow.putIfAbsent(key(r.path("query").asText(), Instant.parse(r.get("start").asText()),
                            Instant.parse(r.get("end").asText())), r);
                } catch (java.time.format.DateTimeParseException e) {
                    throw new IOException(recordings + ": " + e.getMessage(), e);
                }
            } else {
                answers.put(r.path("query").asText(), r);
            }
        }
    }

    /** {@code logs.json}, or none: no log backend configured (log steps end {@code skipped}). */
    public static StepPorts replay(Path file, ObjectMapper json, StepPorts ports) throws IOException {
        return ports.withLogs(file == null ? null : new ReplayLogSource(file, json));
    }

    @Override
    public String render(String template, Map<String, String> vars) throws SourceException {
        return LogQl.render(template, vars);
    }

    @Override
    public Lines lines(String query, Instant start, Instant end, int limit) throws SourceException {
        JsonNode r = recording(query, start, end);
        List<Line> out = new ArrayList<>();
        for (JsonNode stream : r.path("answer").path("data").path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            stream.path("stream").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            for (JsonNode v : stream.path("values")) {
                out.add(new Line(LokiLogSource.nanos(v.get(0).asText()), labels, v.get(1).asText()));
            }
        }
        boolean truncated = r.has("truncated") ? r.get("truncated").asBoolean() : out.size() > limit;
        return new Lines(out.subList(0, Math.min(limit, out.size())), truncated, notes(r));
    }

    @Override
    public Count count(String query, Instant start, Instant end) throws SourceException {
        JsonNode r = recording(query, start, end);
        return new Count(r.path("count").asLong(), r.path("lowerBound").asBoolean(false), notes(r));
    }

    @Override
    public String link(String query, Instant start, Instant end) {
        return null;
    }

    @Override
    public String name() {
        return "loki";
    }

    private JsonNode recording(String query, Instant start, Instant end) throws SourceException {
        JsonNode r = byWindow.getOrDefault(key(query, start, end), answers.get(query));
        if (r == null) {
            throw new SourceException(Evidence.Status.ERROR, "no recorded answer for query: " + query);
        }
        return r;
    }

    private static String key(String query, Instant start, Instant end) {
        return start + " " + end + " " + query;
    }

    private static List<String> notes(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.path("notes").forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * One entry per distinct query and window, its first answer, with its window: lines as a Loki streams
     * body (one stream per line, keeping the order the backend gave) or a count. None when no logs were read.
     */
    public static Optional<JsonNode> export(List<JsonNode> recorded, ObjectMapper json) {
        Map<String, JsonNode> seen = new LinkedHashMap<>();
        ArrayNode out = json.createArrayNode();
        for (JsonNode r : recorded) {
            JsonNode e = r.path("series").path(0);
            String query = r.path("query").asText();
            if (seen.putIfAbsent(e.path("start").asText() + " " + e.path("end").asText() + " " + query, e) != null) {
                continue;
            }
            ObjectNode entry = out.addObject().put("query", query).put("start", e.path("start").asText()).put("end", e.path("end").asText());
            if (e.has("count")) {
                entry.put("count", e.get("count").asLong()).put("lowerBound", e.path("lowerBound").asBoolean());
            } else {
                ObjectNode data = entry.putObject("answer").put("status", "success").putObject("data").put("resultType", "streams");
                ArrayNode result = data.putArray("result");
                for (JsonNode l : e.path("lines")) {
                    Instant t = Instant.parse(l.path("time").asText());
                    ObjectNode stream = result.addObject();
                    stream.set("stream", l.path("labels"));
                    stream.putArray("values").addArray()
                            .add(Long.toString(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano())))
                            .add(l.path("text").asText());
                }
                entry.put("truncated", e.path("truncated").asBoolean());
            }
            entry.set("notes", e.path("notes").isArray() ? e.get("notes") : json.createArrayNode());
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }
}
