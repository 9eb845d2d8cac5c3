package dev.rootcause.ruletest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dependency graph a rule test's {@code graph.walk} steps walk: {@code graph.json}, as a walk recorded it,
 * <pre>
 * {"edges": [{"caller": "checkout", "callee": "payments", "origins": ["zipkin"]}, ...]}
 * </pre>
 * No file: an empty graph (the walk then has no downstream to follow, and says so).
 */
public final class ReplayGraph {

    private ReplayGraph() {
    }

    /** @throws IOException when the file cannot be read or an edge is malformed, naming the file */
    public static StepPorts replay(Path file, ObjectMapper json, StepPorts ports) throws IOException {
        if (file == null) {
            return ports.withGraph(() -> DependencyGraph.EMPTY);
        }
        JsonNode edges = json.readTree(file.toFile()).path("edges");
        if (!edges.isArray()) {
            throw new IOException(file + ": expected {\"edges\": [{\"caller\", \"callee\", \"origins\"}, ...]}");
        }
        List<DependencyEdge> out = new ArrayList<>();
        for (JsonNode e : edges) {
            Set<String> origins = new LinkedHashSet<>();
            e.path("origins").forEach(o -> origins.add(o.asText()));
            try {
                out.add(new DependencyEdge(e.path("caller").asText(), e.path("callee").asText(), origins.isEmpty() ? Set.of("recorded") : origins));
            } catch (IllegalArgumentException ex) {
                throw new IOException(file + ": " + ex.getMessage(), ex);
            }
        }
        DependencyGraph graph = new DependencyGraph(out, Map.of("recorded", out.size() + " edges"), Instant.EPOCH);
        return ports.withGraph(() -> graph);
    }

    /** The first recorded graph's edges; none when no walk ran. */
    public static Optional<JsonNode> export(List<JsonNode> recorded, ObjectMapper json) {
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode out = json.createObjectNode();
        out.set("edges", recorded.get(0).path("series"));
        return Optional.of(out);
    }
}
