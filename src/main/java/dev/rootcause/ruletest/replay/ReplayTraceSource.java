package dev.rootcause.ruletest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.source.traces.ZipkinTraceSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link TraceSource} answering from recordings, for rule tests. The file ({@code traces.json}) is a list
 * of {@code {"service": "checkout", "start": "<RFC 3339>", "end": "<RFC 3339>", "answer": <Zipkin v2 traces>}};
 * a request with no recording is an error, as an unreachable backend would be.
 */
public final class ReplayTraceSource implements TraceSource {

    private final Map<String, JsonNode> answers = new HashMap<>();

    /** @throws IOException when the file cannot be read or is not a list of recordings */
    public ReplayTraceSource(Path recordings, ObjectMapper json) throws IOException {
        JsonNode list = json.readTree(recordings.toFile());
        if (!list.isArray()) {
            throw new IOException(recordings + ": expected a list of {service, start, end, answer}");
        }
        for (JsonNode r : list) {
            answers.put(key(r.path("service").asText(), Instant.parse(r.path("start").asText()),
                    Instant.parse(r.path("end").asText())), r.path("answer"));
        }
    }

    private static String key(String service, Instant start, Instant end) {
        return service + " " + start + " " + end;
    }

    @Override
    public List<Trace> traces(String service, Instant start, Instant end, int limit) throws SourceException {
        JsonNode answer = answers.get(key(service, start, end));
        if (answer == null) {
            throw new SourceException(Evidence.Status.ERROR, "no recorded traces for " + key(service, start, end));
        }
        List<Trace> all = ZipkinTraceSource.parse(answer);
        return all.subList(0, Math.min(limit, all.size()));
    }

    @Override
    public String describe(String service, Instant start, Instant end, int limit) {
        return "traces of " + service + " " + start + " to " + end + " (limit " + limit + ")";
    }

    @Override
    public String traceLink(String traceId) {
        return null;
    }

    @Override
    public String name() {
        return "zipkin";
    }

    /** {@code traces.json}, or none: no trace backend configured (trace steps end {@code skipped}). */
    public static StepPorts replay(Path file, ObjectMapper json, StepPorts ports) throws IOException {
        return ports.withTraces(file == null ? null : new ReplayTraceSource(file, json));
    }

    /**
     * One entry per distinct request (service and window), its first answer as Zipkin v2 JSON (a list of
     * traces, each a list of spans). A failed span without an error text gets an empty {@code error} tag, as
     * Zipkin has no failed span without one. None when no traces were fetched.
     */
    public static Optional<JsonNode> export(List<JsonNode> recorded, ObjectMapper json) {
        Map<String, JsonNode> byRequest = new LinkedHashMap<>();
        recorded.forEach(r -> {
            JsonNode e = r.path("series").path(0);
            byRequest.putIfAbsent(e.path("service").asText() + " " + e.path("start").asText() + " " + e.path("end").asText(), e);
        });
        ArrayNode out = json.createArrayNode();
        for (JsonNode e : byRequest.values()) {
            ObjectNode entry = out.addObject().put("service", e.path("service").asText()).put("start", e.path("start").asText())
                    .put("end", e.path("end").asText());
            ArrayNode answer = entry.putArray("answer");
            for (JsonNode t : e.path("traces")) {
                ArrayNode spans = answer.addArray();
                t.path("spans").forEach(s -> spans.add(zipkin(t.path("traceId").asText(), s, json)));
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    private static ObjectNode zipkin(String traceId, JsonNode s, ObjectMapper json) {
        ObjectNode z = json.createObjectNode().put("traceId", traceId).put("id", s.path("spanId").asText());
        if (s.hasNonNull("parentId")) {
            z.put("parentId", s.get("parentId").asText());
        }
        z.put("name", s.path("operation").asText(""));
        if (s.hasNonNull("kind")) {
            z.put("kind", s.get("kind").asText());
        }
        z.put("timestamp", s.path("startMicros").asLong()).put("duration", s.path("durationMicros").asLong());
        z.putObject("localEndpoint").put("serviceName", s.path("service").asText());
        if (s.hasNonNull("peerService")) {
            z.putObject("remoteEndpoint").put("serviceName", s.get("peerService").asText());
        }
        if (s.path("error").asBoolean()) {
            z.putObject("tags").put("error", s.path("errorMessage").asText(""));
        }
        return z;
    }
}
