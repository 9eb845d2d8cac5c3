package dev.rootcause.source;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Retry and circuit-breaker settings every HTTP source's {@code @ConfigMapping} extends ({@link HttpGuard}). */
public interface GuardConfig {

    /** Retries of a call answered 5xx or 429 (so at most 1 + retries calls). */
    @WithDefault("2")
    int retries();

    /** First wait before a retry when the server gives no {@code Retry-After}; doubles each time, at most 10 s. */
    @WithDefault("500ms")
    Duration backoff();

    /** The longest {@code Retry-After} honoured; a server asking for more fails the call at once (with that reason). */
    @WithDefault("10s")
    Duration maxRetryAfter();

    /** Consecutive failed calls after which the circuit opens and calls fail at once. */
    @WithDefault("6")
    int circuitFailures();

    /** How long an open circuit stays open before one trial call. */
    @WithDefault("30s")
    Duration circuitDelay();

    /** These settings for {@link HttpGuard}. */
    default HttpGuard.Settings guardSettings() {
        return new HttpGuard.Settings(retries(), backoff(), maxRetryAfter(), circuitFailures(), circuitDelay());
    }
}
