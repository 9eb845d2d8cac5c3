package dev.rootcause.source;

import dev.rootcause.support.RetryAfter;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * The fault tolerance every HTTP source adapter shares (SmallRye Fault Tolerance): a call answered 5xx or
 * 429 is retried up to {@code retries} times, waiting as the server's {@code Retry-After} says (seconds or
 * an HTTP date, RFC 9110 §10.2.3) when it says so and that is at most {@code maxRetryAfter}, else an
 * exponential backoff from {@code backoff} (doubling, capped at 10 s); after {@code circuitFailures}
 * consecutive failed calls the circuit opens for {@code circuitDelay} and calls fail at once. Timeouts and
 * 4xx answers other than 429 are not retried: a timeout already spent the caller's budget, a 4xx will not
 * change. Thread-safe; one per backend.
 */
public final class HttpGuard {

    /** How the guard is tuned; see the adapters' {@code rootcause.sources.<backend>.*} config. */
    public record Settings(int retries, Duration backoff, Duration maxRetryAfter, int circuitFailures, Duration circuitDelay) {
    }

    /**
     * A 5xx or 429 answer, retryable.
     *
     * @param retryAfter the server's {@code Retry-After}, or null
     */
    public static final class RetryableStatus extends RuntimeException {
        private final transient Response response;
        private final Duration retryAfter;

        RetryableStatus(WebApplicationException cause, Duration retryAfter) {
            super("HTTP " + cause.getResponse().getStatus(), cause, false, false);
            this.response = cause.getResponse();
            this.retryAfter = retryAfter;
        }

        /** The last answer, to read its status and body. */
        public Response response() {
            return response;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    private final TypedGuard<Object> guard;
    private final Settings settings;
    private final Clock clock;
    private final Function<Response, Duration> waitHint;

    /** @param name names the circuit breaker (metrics, logs), e.g. {@code prometheus} */
    public HttpGuard(String name, Settings settings, Clock clock) {
        this(name, settings, clock, r -> null);
    }

    /**
     * @param waitHint the wait a 5xx/429 answer asks for in a backend's own header when it sends no {@code Retry-After}
     *                 (Datadog: {@code X-RateLimit-Reset}, seconds), or null; treated as {@code Retry-After} would be
     */
    public HttpGuard(String name, Settings settings, Clock clock, Function<Response, Duration> waitHint) {
        this.waitHint = waitHint;
        this.settings = settings;
        this.clock = clock;
        this.guard = TypedGuard.create(Object.class)
                // abortOn: SmallRye FT also looks at causes, and RetryAfterTooLong wraps a RetryableStatus
                .withRetry().maxRetries(settings.retries()).retryOn(RetryableStatus.class).abortOn(List.of(RetryAfterTooLong.class, NotRetried.class))
                .maxDuration(Math.max(1, settings.maxRetryAfter().multipliedBy(settings.retries() + 1L).toMillis() + 60_000), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .withCustomBackoff().strategy(Backoff::new).done()
                .done()
                .withCircuitBreaker().name("rootcause-" + name + "-" + System.identityHashCode(this)).onStateChange(CircuitStates.track(name))
                .requestVolumeThreshold(settings.circuitFailures()).failureRatio(1.0)
                .delay(settings.circuitDelay().toMillis(), ChronoUnit.MILLIS)
                .skipOn(NotRetried.class).done()
                .build();
    }

    /**
     * Runs {@code call} under retry and circuit breaker. A {@link WebApplicationException} with a 5xx or 429
     * status is retried (as {@link RetryableStatus}); one with another status is thrown as it is, wrapped in
     * {@link NotRetried} and unwrapped here, so it neither retries nor counts against the circuit.
     *
     * @throws RetryableStatus            when the retries are spent; {@link RetryableStatus#response()} is the last answer
     * @throws RetryAfterTooLong          when the server asked to wait longer than {@code maxRetryAfter}
     * @throws CircuitBreakerOpenException when the circuit is open
     * @throws WebApplicationException     for other HTTP errors
     * @throws RuntimeException            transport failures ({@code ProcessingException}) as the client threw them
     */
    @SuppressWarnings("unchecked")
    public <T> T call(Callable<T> call) {
        try {
            return (T) guard.call(() -> {
                try {
                    return call.call();
                } catch (WebApplicationException e) {
                    int status = e.getResponse().getStatus();
                    if (status >= 500 || status == 429) {
                        Duration wait = retryAfter(e.getResponse(), clock.instant());
                        RetryableStatus retryable = new RetryableStatus(e, wait != null ? wait : waitHint.apply(e.getResponse()));
                        if (retryable.retryAfter() != null && retryable.retryAfter().compareTo(settings.maxRetryAfter()) > 0) {
                            // Waiting longer than a step may take helps nobody: fail now and say why.
                            throw new RetryAfterTooLong(retryable);
                        }
                        throw retryable;
                    }
                    throw new NotRetried(e);
                }
            });
        } catch (NotRetried e) {
            throw (WebApplicationException) e.getCause();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Wraps a 4xx so the circuit breaker can tell it from a failure of the backend. */
    static final class NotRetried extends RuntimeException {
        NotRetried(WebApplicationException e) {
            super(e.getMessage(), e, false, false);
        }
    }

    /** {@code Retry-After} as seconds or an HTTP-date ({@link RetryAfter}); null when absent or unreadable. */
    static Duration retryAfter(Response response, Instant now) {
        return RetryAfter.parse(response.getHeaderString("Retry-After"), now).orElse(null);
    }

    /** Retry-After when the server gave one we are willing to wait; otherwise doubling from the base. */
    private final class Backoff implements CustomBackoffStrategy {
        private long next;

        @Override
        public void init(long initialDelayInMillis) {
            next = settings.backoff().toMillis();
        }

        @Override
        public long nextDelayInMillis(Throwable exception) {
            long exponential = next;
            next = Math.min(next * 2, 10_000);
            if (exception instanceof RetryableStatus r && r.retryAfter() != null) {
                return r.retryAfter().toMillis();
            }
            return exponential;
        }
    }

    /** The server asked to wait longer than {@code maxRetryAfter}: given up, with the server's answer. */
    public static final class RetryAfterTooLong extends RuntimeException {
        private final RetryableStatus status;

        RetryAfterTooLong(RetryableStatus status) {
            super("asked to retry after " + status.retryAfter().toSeconds() + " s", status, false, false);
            this.status = status;
        }

        public RetryableStatus status() {
            return status;
        }
    }
}
