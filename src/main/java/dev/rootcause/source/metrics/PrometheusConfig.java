package dev.rootcause.source.metrics;

import dev.rootcause.source.GuardConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The Prometheus HTTP API (or VictoriaMetrics) used as metrics source, under {@code rootcause.sources.prometheus}. */
@ConfigMapping(prefix = "rootcause.sources.prometheus")
public interface PrometheusConfig extends GuardConfig {

    /** Base URL, e.g. {@code http://localhost:9090} (the API lives under {@code /api/v1}). */
    @WithDefault("http://localhost:9090")
    URI url();

    /** Base URL people open for graph links, when it differs from {@link #url()} (a proxy, an ingress). */
    Optional<URI> externalUrl();

    /** Per query: connect and read timeout. A query over it becomes evidence with status {@code timeout}. */
    @WithDefault("10s")
    Duration timeout();

    /** Sent as {@code Authorization: Bearer <token>} when set (a proxy in front of Prometheus); never logged. */
    Optional<String> token();
}
