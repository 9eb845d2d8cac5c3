package dev.rootcause.incident.outbox;

/**
 * Thrown by a {@link TicketTracker} or {@link ChatPublisher} when the backend refused the request as
 * invalid (e.g. Jira's 400 naming a field) and the same request would be refused again: the outbox
 * moves the effect to {@code dead} at once, with this message, instead of retrying it for the whole
 * horizon. After the cause is fixed, {@code POST /api/v1/outbox/{id}/retry} delivers it again.
 */
public class EffectRejectedException extends RuntimeException {

    public EffectRejectedException(String message) {
        super(message);
    }
}
