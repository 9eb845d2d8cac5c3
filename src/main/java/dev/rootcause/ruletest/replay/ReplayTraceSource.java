package dev.rootcause.ruletest.replay;

import dev.rootcause.source.traces.ZipkinTraceSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.port.TraceSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
}
