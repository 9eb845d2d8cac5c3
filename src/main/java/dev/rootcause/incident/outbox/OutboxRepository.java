package dev.rootcause.incident.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outbox's rows: effects {@code pending}, {@code done} or {@code dead}. Every method joins the caller's
 * transaction when there is one and throws {@link dev.rootcause.incident.StoreException} when the store fails.
 * Times are UTC instants; {@code now} is the caller's clock, stamped as {@code updated_at}.
 *
 * <p>The {@code mark*} and {@link #defer} methods act only while the row still carries the effect's
 * {@link Outbox.Effect#claimToken() claim token}: after the lease ran out another dispatcher may own it.
 */
public interface OutboxRepository {

    /**
     * Adds a pending effect, due {@code now}, unless one with the same idempotency key exists.
     *
     * @param reportId null for lifecycle effects
     * @param chatText what a {@code chat.thread} or {@code ticket.comment} effect posts, or null
     * @return true when it was added
     */
    boolean insertIfAbsent(long incidentId, Long reportId, EffectKind kind, String idempotencyKey, String chatText, Instant now);

    /**
     * Locks the oldest pending effect due at {@code now}, skipping rows other transactions have locked
     * ({@code FOR UPDATE SKIP LOCKED}); the lock lasts until the caller's transaction ends.
     *
     * @param withChat false to leave {@code chat.*} effects to a replica that can post them
     */
    Optional<Outbox.Effect> lockOldestDue(Instant now, boolean withChat);

    /**
     * Stamps a claim on a locked effect: one more claim, the token, the next attempt after the lease.
     * Re-checks that the row is still pending, due at {@code now} and unclaimed since it was read
     * ({@code claims} unchanged).
     *
     * @return false when another dispatcher claimed it meanwhile
     */
    boolean stampClaim(Outbox.Effect effect, String token, Instant leaseEnd, Instant now);

    /** The oldest pending {@code ticket.*} effect of the incident with an id below {@code beforeId}, or empty. */
    Optional<Outbox.Effect> earliestPendingTicketEffect(long incidentId, long beforeId);

    /** Effects of that kind for the incident in that status, or in any status when {@code status} is null. */
    long count(long incidentId, EffectKind kind, String status);

    /** Gives a claimed effect back without counting an attempt, due again at {@code until}. */
    void defer(Outbox.Effect effect, Instant until, String why, Instant now);

    /** Newest first; {@code status} null for all. */
    List<Outbox.Effect> list(String status, int limit);

    /** How many effects are in a status. */
    long count(String status);

    /** @return false when the claim was lost */
    boolean markDone(Outbox.Effect effect, Instant now);

    /** One more attempt counted, due again at {@code nextAttempt}. @return false when the claim was lost */
    boolean markFailed(Outbox.Effect effect, Instant nextAttempt, String error, Instant now);

    /** @return false when the claim was lost */
    boolean markDead(Outbox.Effect effect, String error, Instant now);

    /**
     * A dead effect pending again, due {@code now}, with its retry horizon starting {@code now}.
     *
     * @return false when there is no dead effect with that id
     */
    boolean retry(long id, Instant now);

    /** The incident's dead {@code ticket.*} effects pending again, as {@link #retry}. @return how many */
    int retryDeadTickets(long incidentId, Instant now);
}
