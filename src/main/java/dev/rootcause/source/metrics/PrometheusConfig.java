package dev.rootcause.source.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The Prometheus HTTP API (or VictoriaMetrics) used as metrics source, under {@code rootcause.sources.prometheus}. */
@ConfigMapping(prefix = "rootcause.sources.prometheus")
public interface PrometheusConfig {

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

    /** Retries of a query answered 5xx or 429 (so at most 1 + retries calls). */
    @WithDefault("2")
    int retries();

    /** First wait before a retry when the server gives no {@code Retry-After}; doubles each time, at most 10 s. */
    @WithDefault("500ms")
    Duration backoff();

    /** The longest {@code Retry-After} honoured; a server asking for more fails the query at once (with that reason). */
    @WithDefault("10s")
    Duration maxRetryAfter();

    /** Consecutive failed calls after which the circuit opens and queries fail at once. */
    @WithDefault("6")
    int circuitFailures();

    /** How long an open circuit stays open before one trial call. */
    @WithDefault("30s")
    Duration circuitDelay();
}
