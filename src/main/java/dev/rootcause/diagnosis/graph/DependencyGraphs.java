package dev.rootcause.diagnosis.graph;

/**
 * The dependency graph in force: built from the configured sources, cached and refreshed in the background.
 */
public interface DependencyGraphs {

    /**
     * The latest graph; {@link DependencyGraph#EMPTY} before the first build. Never blocks on a backend.
     */
    DependencyGraph current();
}
