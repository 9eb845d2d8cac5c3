package dev.rootcause.diagnosis.graph;

import dev.rootcause.diagnosis.port.SourceException;
import java.time.Instant;
import java.util.List;

/**
 * One source of dependency edges: a trace backend's dependency links, Tempo's service-graph metrics, one metric
 * convention's client-side or mesh series, the service catalogue. {@link CachedDependencyGraphs} asks every
 * source it finds as a CDI bean and merges their answers.
 */
public interface EdgeSource {

    /**
     * The source's name in {@link DependencyGraph#sources()} and in edge origins, e.g. {@code zipkin},
     * {@code client metrics (micrometer)}, {@code catalogue}.
     */
    String name();

    /**
     * Who called whom between {@code since} and {@code until}. Names are as the source spells them; the graph
     * normalizes them ({@link NodeNames}). Each edge's origins hold {@link #name()}.
     *
     * @throws SourceException status {@code error} (HTTP error, unreadable answer, circuit open) or {@code timeout},
     *                         with a reason safe to show
     */
    List<DependencyEdge> edges(Instant since, Instant until) throws SourceException;
}
