package dev.rootcause.source;

import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP settings every log and trace backend has ({@code rootcause.sources.<capability>.*}).
 * Credentials are never logged nor put in evidence.
 */
public interface BackendConfig {

    /** Base URL of the backend's HTTP API, e.g. {@code http://zipkin:9411}. */
    @WithDefault("http://localhost")
    URI url();

    /** Per request: connect and read timeout. An answer slower than this is evidence with status {@code timeout}. */
    @WithDefault("10s")
    Duration timeout();

    /** Retries of a 5xx, 429 or refused connection (not of a timeout: a slow query would only be slow again). */
    @WithDefault("2")
    int maxRetries();

    /** The longest Retry-After honoured; a backend asking for a longer wait fails the step at once, saying so. */
    @WithDefault("10s")
    Duration maxRetryAfter();

    /** Bearer token sent as {@code Authorization: Bearer …}. */
    Optional<String> token();

    /** Basic-auth user (with {@link #password()}), used when no token is set. */
    Optional<String> username();

    /** Basic-auth password. */
    Optional<String> password();

    /** Tenant sent as {@code X-Scope-OrgID} (multi-tenant Loki, Tempo, Mimir). */
    Optional<String> orgId();
}
