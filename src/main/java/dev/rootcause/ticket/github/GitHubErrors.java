package dev.rootcause.ticket.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.incident.outbox.EffectRejectedException;
import dev.rootcause.incident.outbox.EffectRetryException;
import dev.rootcause.support.RetryAfter;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * GitHub's error answers as exceptions the outbox understands. GitHub explains a refusal as
 * {@code {"message": "Validation Failed", "errors": [{"resource": "Issue", "code": "custom", "field": "body",
 * "message": "body is too long (maximum is 65536 characters)"}]}} (docs.github.com/rest "Client errors"); the
 * text keeps each error's own {@code message}, else its {@code code} ({@code missing_field}, {@code invalid}, ...).
 * <ul>
 * <li>429, or 403 with the rate limit spent ({@code x-ratelimit-remaining: 0}) or a {@code Retry-After}:
 * {@link EffectRetryException} with GitHub's wait ({@code Retry-After}, else until {@code x-ratelimit-reset},
 * else one minute);</li>
 * <li>another 4xx that no repeat can pass ({@link EffectRejectedException#cannotSucceed}: 401 bad token, 403 no
 * permission, 404 no such repository, 410 issues disabled, 422 validation): {@link EffectRejectedException},
 * dead at once with the reason shown in chat;</li>
 * <li>anything else (5xx, 408, 409): {@link IllegalStateException}, retried with backoff.</li>
 * </ul>
 * The request's Authorization header is never part of a message.
 */
final class GitHubErrors {

    private GitHubErrors() {
    }

    static RuntimeException failure(Response r, ObjectMapper json, Clock clock) {
        String message = detail(r, json);
        String text = "GitHub answered " + r.getStatus() + (message.isEmpty() ? "" : ": " + message);
        String retryAfter = r.getHeaderString("Retry-After");
        String remaining = r.getHeaderString("x-ratelimit-remaining");
        if (r.getStatus() == 429 || (r.getStatus() == 403 && ("0".equals(remaining) || retryAfter != null))) {
            return new EffectRetryException(text, wait(r, retryAfter, clock));
        }
        if (EffectRejectedException.cannotSucceed(r.getStatus())) {
            return new EffectRejectedException(text);
        }
        return new IllegalStateException(text);
    }

    /** {@code message}, then {@code ; field: message-or-code} per entry of {@code errors}; empty when the body says nothing. */
    static String detail(Response r, ObjectMapper json) {
        StringBuilder out = new StringBuilder();
        try {
            JsonNode body = json.readTree(r.readEntity(String.class));
            out.append(body.path("message").asText(""));
            for (JsonNode error : body.path("errors")) {
                String reason = error.isTextual() ? error.asText()
                        : error.path("field").asText("?") + ": " + error.path("message").asText(error.path("code").asText(""));
                out.append(out.length() == 0 ? "" : "; ").append(reason);
            }
        } catch (Exception unreadable) {
            // not JSON (a proxy's error page): the status says enough
        }
        return out.toString();
    }

    private static Duration wait(Response r, String retryAfter, Clock clock) {
        Optional<Duration> asked = RetryAfter.parse(retryAfter, clock);
        if (asked.isPresent()) {
            return asked.get();
        }
        String reset = r.getHeaderString("x-ratelimit-reset");
        if (reset != null && reset.strip().matches("\\d{1,19}")) {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(reset.strip()) - clock.instant().getEpochSecond()));
        }
        return Duration.ofMinutes(1);
    }
}
