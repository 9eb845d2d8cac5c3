package dev.rootcause.incident.effect;

import dev.rootcause.incident.outbox.EffectKind;
import dev.rootcause.incident.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Queues what chat should say about a lifecycle step: a line in the incident's thread and an edit of its
 * message to show the status, as two outbox effects in the caller's transaction (so a step and its
 * message are never one without the other).
 */
@ApplicationScoped
public class ChatFollowUps {

    private final Outbox outbox;

    ChatFollowUps(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * @param event a short name for the step ({@code acknowledged}, {@code resolved}, ...): with the time, the
     *              effects' idempotency key
     */
    public void enqueue(long incidentId, String event, String text, Instant at) {
        String key = "incident-" + incidentId + "/" + event + "-" + at.toEpochMilli();
        outbox.enqueue(incidentId, null, EffectKind.CHAT_THREAD, EffectKind.CHAT_THREAD.wire() + "/" + key, text);
        outbox.enqueue(incidentId, null, EffectKind.CHAT_EDIT, EffectKind.CHAT_EDIT.wire() + "/" + key, null);
    }
}
