package dev.rootcause.incident.outbox;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.rootcause.support.WireValues;

/**
 * What an outbox effect does. The wire value is stored in the outbox's {@code kind} column, shown by
 * {@code GET /api/v1/outbox} and starts each effect's idempotency key; ticket effects (wire values
 * {@code ticket.*}) are delivered in order per incident.
 */
public enum EffectKind {
    /** {@code ticket.open}: open the incident's ticket with its report. */
    OPEN_TICKET("ticket.open"),
    /** {@code chat.report}: post (or replace) the incident's report in chat. */
    POST_REPORT("chat.report"),
    /** {@code chat.thread}: a line in the incident's chat thread; the text is the effect's {@code chatText}. */
    CHAT_THREAD("chat.thread"),
    /** {@code chat.edit}: the incident's chat message edited to show its status. */
    CHAT_EDIT("chat.edit"),
    /** {@code ticket.comment}: a comment on the incident's ticket; the text is the effect's {@code chatText}. */
    COMMENT_TICKET("ticket.comment"),
    /** {@code ticket.close}: close the incident's ticket (Jira: the configured done transition). */
    CLOSE_TICKET("ticket.close"),
    /** {@code ticket.reopen}: reopen the incident's ticket. */
    REOPEN_TICKET("ticket.reopen"),
    /**
     * {@code chat.failed}: a line in the incident's chat thread saying a ticket effect was given up, with
     * the tracker's reason (the effect's {@code chatText}) and, where chat has buttons, a Retry button.
     */
    CHAT_FAILED("chat.failed");

    private final String wire;

    EffectKind(String wire) {
        this.wire = wire;
    }

    /** The value stored and shown, e.g. {@code ticket.open}. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** The wire value, so log lines and timeline text read as before. */
    @Override
    public String toString() {
        return wire;
    }

    /** True for the effects on the incident's ticket ({@code ticket.*}), which the ticket tracker delivers. */
    public boolean ticket() {
        return wire.startsWith("ticket.");
    }

    /**
     * @throws IllegalArgumentException for any other value, naming the allowed ones
     */
    @JsonCreator
    public static EffectKind of(String wire) {
        return WireValues.parse(EffectKind.class, "effect kind", wire, EffectKind::wire);
    }
}
