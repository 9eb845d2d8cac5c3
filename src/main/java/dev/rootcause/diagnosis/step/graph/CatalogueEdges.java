package dev.rootcause.diagnosis.step.graph;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import dev.rootcause.rule.ServiceCatalogue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph a walk falls back to when no dependency graph is configured (the catalogue's {@code dependencies}), and
 * the graph as a walk records it for rule-test replay ({@code graph.json}: the edges).
 */
public final class CatalogueEdges {

    /** The recording's evidence kind. */
    public static final String KIND = "graph";

    private CatalogueEdges() {
    }

    /** One edge per catalogue dependency, origin {@code catalogue}. */
    public static DependencyGraph graph(ServiceCatalogue catalogue) {
        List<DependencyEdge> edges = new ArrayList<>();
        for (ServiceCatalogue.Service s : catalogue.services()) {
            s.dependencies().forEach(d -> edges.add(new DependencyEdge(s.name(), d.name(), Set.of("catalogue"))));
        }
        return new DependencyGraph(edges, Map.of("catalogue", edges.size() + " edges"), Instant.EPOCH);
    }

    /** The graph as recorded: one {@code {caller, callee, origins}} per edge. */
    public static Evidence.Recorded recorded(DependencyGraph graph) {
        List<Map<String, Object>> edges = new ArrayList<>();
        for (DependencyEdge e : graph.edges()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("caller", e.caller());
            m.put("callee", e.callee());
            m.put("origins", List.copyOf(e.origins()));
            edges.add(m);
        }
        return new Evidence.Recorded("dependency graph", edges, KIND);
    }
}
