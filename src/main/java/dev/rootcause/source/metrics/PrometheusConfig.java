package dev.rootcause.source.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;

/** The Prometheus HTTP API used as metrics source, under {@code rootcause.sources.prometheus}. */
@ConfigMapping(prefix = "rootcause.sources.prometheus")
public interface PrometheusConfig {

    /** Base URL, e.g. {@code http://localhost:9090} (the API lives under {@code /api/v1}). */
    @WithDefault("http://localhost:9090")
    URI url();
}
