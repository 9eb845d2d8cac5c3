package dev.rootcause.diagnosis.graph;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One edge of the dependency graph: {@code caller} calls {@code callee}.
 *
 * @param caller  the calling component, as the sources name services (e.g. {@code checkout})
 * @param callee  the called component (a service, or a database, queue or cloud API named by the catalogue or by
 *                the caller's client metrics)
 * @param origins where the edge was seen, e.g. {@code zipkin}, {@code catalogue}, {@code client metrics (micrometer)};
 *                never empty
 */
public record DependencyEdge(String caller, String callee, Set<String> origins) {

    /**
     * @throws IllegalArgumentException for a blank end or no origin
     */
    public DependencyEdge {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(callee, "callee");
        if (caller.isBlank() || callee.isBlank()) {
            throw new IllegalArgumentException("dependency edge with a blank end: " + caller + " -> " + callee);
        }
        if (origins == null || origins.isEmpty()) {
            throw new IllegalArgumentException("dependency edge " + caller + " -> " + callee + " without an origin");
        }
        origins = Set.copyOf(new TreeSet<>(origins));
    }
}
