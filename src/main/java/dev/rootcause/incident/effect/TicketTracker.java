package dev.rootcause.incident.effect;

import dev.rootcause.incident.Incident;
import dev.rootcause.report.Report;

/**
 * Where incidents become tickets: Jira, GitHub Issues, or the embedded tracker. Called by the outbox
 * dispatcher, one effect at a time; every method may be called again for the same effect (after a
 * failure, a timeout or a crash), so each must be safe to repeat: {@code open} finds the ticket it
 * may already have made, {@code close}/{@code reopen} succeed when the ticket is already in that state,
 * {@code comment} looks for its own earlier comment when {@link Attempt#retried()}.
 *
 * <p>Every method throws {@link EffectRetryException} when the tracker said when to come back (429,
 * 503 with Retry-After) and another {@link RuntimeException} with a message naming the refused field
 * when it refused or could not be reached; the outbox retries both until its horizon.
 */
public interface TicketTracker {

    /** A ticket as the tracker names it: {@code key} like {@code RC-12}, {@code OPS-431} or {@code #87}, and a URL. */
    record TicketRef(String key, String url) {
    }

    /**
     * The delivery at hand.
     *
     * @param idempotencyKey the outbox effect's key, e.g. {@code ticket.comment/report-12}; unique per effect
     * @param retried        true when an earlier delivery of this effect started and its outcome is not
     *                       known to have failed cleanly (failure, timeout, crash): the tracker may
     *                       already hold what it sent
     */
    record Attempt(String idempotencyKey, boolean retried) {
    }

    /**
     * Opens the incident's ticket, labelled {@code rootcause-incident-<id>}, or returns the one already
     * open for it (one ticket per incident).
     */
    TicketRef open(Incident incident, Report report, Attempt attempt);

    /** Adds a comment (plain text, may hold line breaks) to the incident's ticket, once per attempt key. */
    void comment(TicketRef ticket, Incident incident, String text, Attempt attempt);

    /** Closes (Jira: transitions to done) the incident's ticket; a no-op when it is closed already. */
    void close(TicketRef ticket, Incident incident, Attempt attempt);

    /** Reopens the incident's ticket; a no-op when it is open already. */
    void reopen(TicketRef ticket, Incident incident, Attempt attempt);
}
