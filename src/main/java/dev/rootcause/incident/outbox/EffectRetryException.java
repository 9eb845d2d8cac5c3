package dev.rootcause.incident.outbox;

import java.time.Duration;

/**
 * Thrown by a {@link ChatPublisher} or {@link TicketTracker} when the backend said when to come back
 * (HTTP 429/503 {@code Retry-After}, Discord's {@code retry_after}); the outbox waits that long.
 */
public class EffectRetryException extends RuntimeException {

    private final Duration retryAfter;

    public EffectRetryException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
