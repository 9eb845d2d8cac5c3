package dev.rootcause.ticket.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.incident.outbox.EffectRejectedException;
import dev.rootcause.incident.outbox.EffectRetryException;
import dev.rootcause.support.RetryAfter;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Jira's error answers as exceptions the outbox understands. Jira explains a refusal as
 * {@code {"errorMessages": ["..."], "errors": {"customfield_10042": "Field 'customfield_10042' cannot be
 * set. It is not on the appropriate screen, or unknown."}}}; the message names each field with its reason.
 * <ul>
 * <li>429, or 503 with {@code Retry-After}: {@link EffectRetryException} with Jira's wait (seconds
 * or an HTTP-date, at least 1 s; 60 s when Jira names none);</li>
 * <li>a 4xx the same request cannot get past ({@link EffectRejectedException#cannotSucceed}: 400 naming
 * fields, 401, 403, 404, ...): {@link EffectRejectedException}, so the effect is dead at once and chat
 * says why (fix the configuration, then Retry or {@code POST /api/v1/outbox/{id}/retry});</li>
 * <li>anything else (408, 409, 5xx): {@link IllegalStateException}, retried with backoff.</li>
 * </ul>
 * The request's Authorization header is never part of a message.
 */
final class JiraErrors {

    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

    private JiraErrors() {
    }

    static RuntimeException failure(String what, Response r, ObjectMapper json) {
        String detail = detail(r, json);
        String text = "Jira answered " + r.getStatus() + " to " + what + (detail.isEmpty() ? "" : ": " + detail);
        String retryAfter = r.getHeaderString("Retry-After");
        if (r.getStatus() == 429 || (r.getStatus() == 503 && retryAfter != null)) {
            return new EffectRetryException(text, wait(retryAfter));
        }
        if (EffectRejectedException.cannotSucceed(r.getStatus())) {
            return new EffectRejectedException(text);
        }
        return new IllegalStateException(text);
    }

    /** {@code errorMessages} joined, then each {@code field: reason} of {@code errors}; empty when the body says nothing. */
    static String detail(Response r, ObjectMapper json) {
        StringBuilder out = new StringBuilder();
        try {
            JsonNode body = json.readTree(r.readEntity(String.class));
            for (JsonNode m : body.path("errorMessages")) {
                out.append(out.length() == 0 ? "" : "; ").append(m.asText());
            }
            for (Map.Entry<String, JsonNode> e : body.path("errors").properties()) {
                out.append(out.length() == 0 ? "" : "; ").append(e.getKey()).append(": ").append(e.getValue().asText());
            }
        } catch (Exception unreadable) {
            // not JSON (a proxy's error page): the status says enough
        }
        return out.toString();
    }

    /** Jira's wait ({@link RetryAfter}: seconds or an HTTP-date), at least 1 s; {@link #DEFAULT_RETRY_AFTER} when it names none. */
    static Duration wait(String retryAfter) {
        return RetryAfter.parse(retryAfter, Clock.systemUTC()).map(d -> d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d)
                .orElse(DEFAULT_RETRY_AFTER);
    }
}
