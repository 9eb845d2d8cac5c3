package dev.rootcause.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

/** Retry, Retry-After and the circuit breaker every HTTP adapter shares (SmallRye FT needs the Quarkus runtime). */
@io.quarkus.test.junit.QuarkusTest
class HttpGuardTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    static HttpGuard guard(int retries, int circuitFailures) {
        return new HttpGuard("test", new HttpGuard.Settings(retries, Duration.ofMillis(5), Duration.ofSeconds(2), circuitFailures,
                Duration.ofMinutes(5)), CLOCK);
    }

    static WebApplicationException status(int status, String retryAfter) {
        Response.ResponseBuilder r = Response.status(status);
        if (retryAfter != null) {
            r.header("Retry-After", retryAfter);
        }
        return new WebApplicationException(r.build());
    }

    @Test
    void fiveHundredsAreRetriedThenTheLastAnswerIsThrown() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> guard(2, 100).call(() -> {
            calls.incrementAndGet();
            throw status(502, null);
        })).isInstanceOf(HttpGuard.RetryableStatus.class)
                .satisfies(e -> assertThat(((HttpGuard.RetryableStatus) e).response().getStatus()).isEqualTo(502));
        assertThat(calls).hasValue(3);
    }

    @Test
    void clientErrorsAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> guard(2, 100).call(() -> {
            calls.incrementAndGet();
            throw status(422, null);
        })).isInstanceOf(WebApplicationException.class).isNotInstanceOf(HttpGuard.RetryableStatus.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void retryAfterLongerThanWeWaitFailsAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> guard(2, 100).call(() -> {
            calls.incrementAndGet();
            throw status(429, "120");
        })).isInstanceOf(HttpGuard.RetryAfterTooLong.class);
        assertThat(calls).hasValue(1);
        assertThat(SourceFailures.describe(new HttpGuard.RetryAfterTooLong(
                new HttpGuard.RetryableStatus(status(429, "120"), Duration.ofSeconds(120))), "X", null, Duration.ofSeconds(1), r -> null)
                .reason()).isEqualTo("X answered 429 and asked to retry after 2m, longer than we wait");
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(HttpGuard.retryAfter(status(429, "3").getResponse(), CLOCK.instant())).isEqualTo(Duration.ofSeconds(3));
        assertThat(HttpGuard.retryAfter(status(503, "Sun, 01 Mar 2026 10:00:07 GMT").getResponse(), CLOCK.instant()))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(HttpGuard.retryAfter(status(503, "soon").getResponse(), CLOCK.instant())).isNull();
        assertThat(HttpGuard.retryAfter(status(503, null).getResponse(), CLOCK.instant())).isNull();
    }

    @Test
    void circuitOpensAfterRepeatedFailuresAndStopsCalling() {
        HttpGuard guard = guard(0, 3);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> guard.call(() -> {
                calls.incrementAndGet();
                throw new ProcessingException("connection refused");
            })).isInstanceOf(ProcessingException.class);
        }
        assertThatThrownBy(() -> guard.call(() -> {
            calls.incrementAndGet();
            return "never";
        })).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(calls).hasValue(3);
        assertThat(SourceFailures.describe(new CircuitBreakerOpenException("open"), "Prometheus", java.net.URI.create("http://p:9090"),
                Duration.ofSeconds(1), r -> null).reason()).contains("circuit open");
    }

    @Test
    void clientErrorsDoNotOpenTheCircuit() {
        HttpGuard guard = guard(0, 2);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> guard.call(() -> {
                throw status(400, null);
            })).isInstanceOf(WebApplicationException.class);
        }
        assertThat(guard.call(() -> "ok")).isEqualTo("ok");
    }
}
