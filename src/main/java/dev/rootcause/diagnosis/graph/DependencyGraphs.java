package dev.rootcause.diagnosis.graph;

import java.util.Locale;

/**
 * The dependency graph in force: built from the configured sources, cached and refreshed in the background.
 */
public interface DependencyGraphs {

    /**
     * The latest graph; {@link DependencyGraph#EMPTY} before the first build. Never blocks on a backend.
     */
    DependencyGraph current();

    /**
     * The node a service name stands for in the graph, e.g. an alert's {@code service="Checkout-API"} →
     * {@code checkout} ({@link NodeNames}: lower case, the catalogue's label mapping, Kubernetes service
     * addresses). Without a catalogue: trimmed and lower-cased.
     */
    default String node(String service) {
        return service == null ? "" : service.strip().toLowerCase(Locale.ROOT);
    }
}
