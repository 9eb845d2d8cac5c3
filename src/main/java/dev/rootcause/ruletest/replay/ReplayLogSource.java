package dev.rootcause.ruletest.replay;

import dev.rootcause.source.logs.LogQl;
import dev.rootcause.source.logs.LokiLogSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.SourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link LogSource} answering from recordings, for rule tests. The file ({@code logs.json}) is a list of
 * {@code {"query": "<LogQL as sent>", "answer": <Loki query_range body: streams>}} or, for counts,
 * {@code {"query": ..., "count": n}}; a query with no recording is an error, as an unreachable Loki would be.
 * Queries are rendered as Loki's would be.
 */
public final class ReplayLogSource implements LogSource {

    private final Map<String, JsonNode> answers = new HashMap<>();

    /** @throws IOException when the file cannot be read or is not a list of recordings */
    public ReplayLogSource(Path recordings, ObjectMapper json) throws IOException {
        JsonNode list = json.readTree(recordings.toFile());
        if (!list.isArray()) {
            throw new IOException(recordings + ": expected a list of {query, answer | count}");
        }
        list.forEach(r -> answers.put(r.path("query").asText(), r));
    }

    @Override
    public String render(String template, Map<String, String> vars) throws SourceException {
        return LogQl.render(template, vars);
    }

    @Override
    public Lines lines(String query, Instant start, Instant end, int limit) throws SourceException {
        List<Line> out = new ArrayList<>();
        for (JsonNode stream : recording(query).path("answer").path("data").path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            stream.path("stream").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            for (JsonNode v : stream.path("values")) {
                out.add(new Line(LokiLogSource.nanos(v.get(0).asText()), labels, v.get(1).asText()));
            }
        }
        return new Lines(out.subList(0, Math.min(limit, out.size())), out.size() > limit, List.of());
    }

    @Override
    public Count count(String query, Instant start, Instant end) throws SourceException {
        return new Count(recording(query).path("count").asLong(), false, List.of());
    }

    @Override
    public String link(String query, Instant start, Instant end) {
        return null;
    }

    @Override
    public String name() {
        return "loki";
    }

    private JsonNode recording(String query) throws SourceException {
        JsonNode r = answers.get(query);
        if (r == null) {
            throw new SourceException(Evidence.Status.ERROR, "no recorded answer for query: " + query);
        }
        return r;
    }
}
