package dev.rootcause.source.traces;

import dev.rootcause.source.BackendConfig;
import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.util.Optional;

/**
 * The trace backend, under {@code rootcause.sources.traces}: {@code kind}, the API {@code url}, the
 * HTTP settings of {@link BackendConfig} and where people open a trace.
 */
@ConfigMapping(prefix = "rootcause.sources.traces")
public interface TracesConfig extends BackendConfig {

    /**
     * {@code zipkin} (v2 API), {@code jaeger} (query API), {@code tempo} or {@code skywalking} (the OAP of
     * {@code rootcause.sources.skywalking.*}: its URL and HTTP settings, not these); unset: no trace backend, trace
     * steps end {@code skipped}.
     */
    Optional<String> kind();

    /**
     * Base URL of the UI people open, when it differs from {@link #url()}. Links: Zipkin
     * {@code <ui>/zipkin/traces/<id>}, Jaeger {@code <ui>/trace/<id>}; Tempo has no UI of its own (use
     * {@link #linkTemplate()}).
     */
    Optional<URI> uiUrl();

    /** A link with {@code {traceId}} in it, e.g. a Grafana Explore URL; overrides the UI link. */
    Optional<String> linkTemplate();
}
