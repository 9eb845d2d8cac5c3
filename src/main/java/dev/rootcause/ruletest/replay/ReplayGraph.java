package dev.rootcause.ruletest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dependency graph a rule test's graph-reading steps read: {@code graph.json}, as a walk recorded it,
 * <pre>
 * {"edges": [{"caller": "checkout", "callee": "payments", "origins": ["zipkin"]}, ...]}
 * </pre>
 * It feeds every step that reads the dependency graph ({@code graph.walk}, {@code items.downstreams}). No file: an
 * empty graph (the walk then has no downstream to follow, and says so).
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

    /**
     * The edges of every recorded graph ({@code graph.walk} and {@code items.downstreams} each record the graph they
     * read), each caller → callee once with the union of its origins, in first-recorded order; none when no step
     * recorded a graph.
     */
    public static Optional<JsonNode> export(List<JsonNode> recorded, ObjectMapper json) {
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        Map<List<String>, Set<String>> edges = new LinkedHashMap<>();
        for (JsonNode r : recorded) {
            for (JsonNode e : r.path("series")) {
                Set<String> origins = edges.computeIfAbsent(List.of(e.path("caller").asText(), e.path("callee").asText()),
                        k -> new LinkedHashSet<>());
                e.path("origins").forEach(o -> origins.add(o.asText()));
            }
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("edges");
        edges.forEach((k, origins) -> {
            ObjectNode e = list.addObject();
            e.put("caller", k.get(0));
            e.put("callee", k.get(1));
            ArrayNode o = e.putArray("origins");
            origins.forEach(o::add);
        });
        return Optional.of(out);
    }
}
