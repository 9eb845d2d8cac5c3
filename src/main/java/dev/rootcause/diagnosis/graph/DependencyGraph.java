package dev.rootcause.diagnosis.graph;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who calls whom, merged from every source that knows (trace backends, client-side and mesh metrics, the service
 * catalogue), as built at one moment.
 *
 * @param edges   one per (caller, callee) pair, with every origin that saw it
 * @param sources source name → what it answered, e.g. {@code zipkin: 12 edges}, {@code jaeger: empty (its
 *                dependencies job may not run)}, {@code prometheus: error: connection refused}
 * @param builtAt when the graph was built (the sources' answers are as of then)
 */
public record DependencyGraph(List<DependencyEdge> edges, Map<String, String> sources, Instant builtAt) {

    /** The graph nobody has built yet. */
    public static final DependencyGraph EMPTY = new DependencyGraph(List.of(), Map.of(), Instant.EPOCH);

    public DependencyGraph {
        edges = List.copyOf(edges);
        sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    /** The edges {@code service} calls, in graph order. */
    public List<DependencyEdge> downstreams(String service) {
        return edges.stream().filter(e -> e.caller().equals(service)).toList();
    }

    /** The edges that call {@code service}, in graph order. */
    public List<DependencyEdge> upstreams(String service) {
        return edges.stream().filter(e -> e.callee().equals(service)).toList();
    }
}
