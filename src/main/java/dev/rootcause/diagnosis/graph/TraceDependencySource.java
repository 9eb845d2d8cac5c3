package dev.rootcause.diagnosis.graph;

import dev.rootcause.diagnosis.port.SourceException;
import java.util.List;

/**
 * A trace backend's own dependency links (Zipkin {@code GET /api/v2/dependencies}, Jaeger
 * {@code GET /api/dependencies}). These come from a batch job on Elasticsearch and Cassandra storage
 * (zipkin-dependencies, spark-dependencies; daily) and are built on the fly only by in-memory storage, so an
 * empty answer is common: the graph then samples recent traces of the same backend ({@link TraceSampling}).
 */
public interface TraceDependencySource extends EdgeSource {

    /**
     * The services the backend has seen (Zipkin {@code GET /api/v2/services}, Jaeger {@code GET /api/services}),
     * whose traces the fallback samples.
     *
     * @throws SourceException as {@link #edges}
     */
    List<String> services() throws SourceException;
}
