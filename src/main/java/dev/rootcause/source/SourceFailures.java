package dev.rootcause.source;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.rule.Durations;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * Turns what an {@link HttpGuard}ed call threw into an evidence status and a reason a person can act on.
 * Reasons name the backend and its URL (never credentials: adapters keep tokens in headers, not URLs)
 * and carry the server's own error message when it sent one.
 */
public final class SourceFailures {

    /** @param status {@code error} or {@code timeout}; @param reason safe to show */
    public record Failure(Evidence.Status status, String reason) {
    }

    private SourceFailures() {
    }

    /**
     * @param backend    e.g. {@code Prometheus}
     * @param timeout    the adapter's per-call timeout, for the reason
     * @param serverText reads the server's error message from an error answer (e.g. Prometheus'
     *                   {@code errorType: error}); returns null when there is none
     */
    public static Failure describe(Throwable e, String backend, URI url, Duration timeout, Function<Response, String> serverText) {
        if (e instanceof HttpGuard.RetryAfterTooLong t) {
            return new Failure(Evidence.Status.ERROR, backend + " answered " + t.status().response().getStatus()
                    + " and asked to retry after " + Durations.format(t.status().retryAfter()) + ", longer than we wait");
        }
        if (e instanceof HttpGuard.RetryableStatus r) {
            Response response = r.response();
            return answered(backend, response, serverText, " (after retries)");
        }
        if (e instanceof WebApplicationException w) {
            return answered(backend, w.getResponse(), serverText, "");
        }
        if (e instanceof CircuitBreakerOpenException) {
            return new Failure(Evidence.Status.ERROR, backend + " at " + url
                    + " failed repeatedly; circuit open, not asking it again for a while");
        }
        if (e instanceof ProcessingException) {
            boolean timedOut = hasCause(e, TimeoutException.class) || hasCause(e, SocketTimeoutException.class)
                    || String.valueOf(e.getMessage()).toLowerCase().contains("timeout")
                    || String.valueOf(e.getMessage()).toLowerCase().contains("timed out");
            return new Failure(timedOut ? Evidence.Status.TIMEOUT : Evidence.Status.ERROR, backend + " at " + url
                    + (timedOut ? " did not answer within " + Durations.format(timeout) : " unreachable: " + rootMessage(e)));
        }
        return new Failure(Evidence.Status.ERROR, backend + " call failed: " + rootMessage(e));
    }

    private static Failure answered(String backend, Response response, Function<Response, String> serverText, String suffix) {
        int status = response.getStatus();
        String text = null;
        try {
            text = serverText.apply(response);
        } catch (RuntimeException unreadable) {
            // a body we cannot read: the status alone
        }
        String reason = backend + " answered " + status + suffix + (text == null || text.isBlank() ? "" : ": " + text);
        // Prometheus answers 503 errorType "timeout" when its query timeout is hit.
        boolean timedOut = (status == 503 || status == 504) && text != null && text.startsWith("timeout");
        return new Failure(timedOut ? Evidence.Status.TIMEOUT : Evidence.Status.ERROR, reason);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
