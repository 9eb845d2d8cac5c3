package dev.rootcause.diagnosis.graph;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The dependency graph, under {@code rootcause.graph}. */
@ConfigMapping(prefix = "rootcause.graph")
public interface GraphConfig {

    /**
     * How often the graph is rebuilt in the background, e.g. {@code 5m}; the first build starts with the service.
     * {@code off} never builds it (the graph stays empty; the {@code %test} profile does so).
     */
    @WithDefault("5m")
    String refresh();

    /** The window each source is asked about, ending at the build: edges seen in it are in the graph. */
    @WithDefault("1h")
    Duration lookback();

    /**
     * Ask Prometheus for edges: Tempo's service-graph metrics and one query per client-side or mesh convention
     * (five instant queries per build).
     */
    @WithDefault("true")
    boolean metrics();

    /** When a trace backend's dependency links are empty: at most this many services' recent traces are sampled. */
    @WithDefault("30")
    int sampleServices();

    /** When sampling: traces read per service (the trace query's {@code limit}). */
    @WithDefault("20")
    int sampleTraces();

    /** A source still answering after this is recorded as {@code timeout} and the graph is built without it. */
    @WithDefault("60s")
    Duration sourceTimeout();
}
