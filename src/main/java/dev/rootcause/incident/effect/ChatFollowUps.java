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

    /**
     * Queues the line saying a ticket effect was given up ({@link EffectKind#CHAT_FAILED}, with a Retry
     * button where chat has one). Joins the caller's transaction when there is one.
     *
     * @param effectId the dead effect; with {@code at}, the key: a retried effect that dies again is told again
     * @param text     what happened, in the tracker's words, e.g. {@code Ticket not opened: GitHub answered 422: ...}
     */
    public void effectFailed(long incidentId, long effectId, String text, Instant at) {
        outbox.enqueue(incidentId, null, EffectKind.CHAT_FAILED, EffectKind.CHAT_FAILED.wire() + "/effect-" + effectId + "/"
                + at.toEpochMilli(), text);
    }
}
