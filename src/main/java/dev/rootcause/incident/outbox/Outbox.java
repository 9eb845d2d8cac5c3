package dev.rootcause.incident.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbox ({@link OutboxRepository}): effects waiting, delivered ({@code done}) or given up ({@code dead}).
 * Dispatchers {@link #claim() claim} one due row at a time with {@code FOR UPDATE SKIP LOCKED}
 * (PostgreSQL, and H2 2.4 in PostgreSQL mode), so replicas sharing the store never deliver one
 * effect twice; a claim lasts {@code rootcause.outbox.lease}, after which a crashed replica's row is
 * due again.
 */
@ApplicationScoped
public class Outbox {

    private final OutboxRepository rows;
    private final Clock clock;

    private final OutboxConfig config;

    Outbox(OutboxRepository rows, Clock clock, OutboxConfig config) {
        this.rows = rows;
        this.clock = clock;
        this.config = config;
    }

    /**
     * One effect. Times in UTC.
     *
     * @param reportId   the report it delivers, or null for lifecycle effects
     * @param kind       what it does; null only in {@link #list listings}, for a kind this version does not know
     *                   (written by a newer one; it is never claimed here)
     * @param status     {@code pending}, {@code done} or {@code dead}
     * @param attempts   deliveries finished (succeeded or failed)
     * @param claims     deliveries started; more than {@code attempts} + 1 while claimed means one was cut short
     * @param chatText   the text a {@link EffectKind#CHAT_THREAD} or {@link EffectKind#COMMENT_TICKET} effect posts, else null
     * @param claimToken the current claim's token, or null when no dispatcher holds the row
     */
    public record Effect(long id, long incidentId, Long reportId, EffectKind kind, String idempotencyKey, String status,
            int attempts, Instant nextAttemptAt, Instant horizonStart, Instant createdAt, Instant updatedAt,
            String lastError, String chatText, int claims, String claimToken) {

        /** True when an earlier delivery of this (claimed) effect started: the backend may hold its result. */
        public boolean retried() {
            return claims > 1;
        }
    }

    /**
     * Adds an effect unless one with the same idempotency key exists; joins the caller's transaction.
     *
     * @return true when it was added
     * @throws dev.rootcause.incident.StoreException when the store fails (as every method here)
     */
    public boolean enqueue(long incidentId, long reportId, EffectKind kind, String idempotencyKey) {
        return enqueue(incidentId, Long.valueOf(reportId), kind, idempotencyKey, null);
    }

    /**
     * Adds an effect unless one with the same idempotency key exists; joins the caller's transaction.
     *
     * @param reportId null for lifecycle effects
     * @param chatText what a {@link EffectKind#CHAT_THREAD} or {@link EffectKind#COMMENT_TICKET} effect posts, or null
     * @return true when it was added
     */
    public boolean enqueue(long incidentId, Long reportId, EffectKind kind, String idempotencyKey, String chatText) {
        return rows.insertIfAbsent(incidentId, reportId, kind, idempotencyKey, chatText, clock.instant());
    }

    /**
     * Claims the oldest due effect for this dispatcher: locks it, skipping rows another dispatcher has
     * locked, then moves its next attempt past the lease and stamps a fresh claim token, in one
     * transaction. The delivery itself runs outside any transaction.
     *
     * @return the claimed effect (with {@code claims} counting this one), or empty when nothing is due
     */
    public Optional<Effect> claim() {
        return claim(true);
    }

    /**
     * As {@link #claim()}, leaving {@code chat.*} effects alone unless {@code withChat}: a replica without the
     * chat session (Discord's gateway is held by one replica) delivers ticket effects only.
     */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    public Optional<Effect> claim(boolean withChat) {
        Instant now = clock.instant();
        for (int tries = 0; tries < 10; tries++) {
            Optional<Effect> due = rows.lockOldestDue(now, withChat);
            if (due.isEmpty()) {
                return Optional.empty();
            }
            Effect e = due.get();
            String token = UUID.randomUUID().toString();
            if (rows.stampClaim(e, token, now.plus(config.lease()), now)) {
                return Optional.of(new Effect(e.id(), e.incidentId(), e.reportId(), e.kind(), e.idempotencyKey(), e.status(),
                        e.attempts(), now.plus(config.lease()), e.horizonStart(), e.createdAt(), e.updatedAt(), e.lastError(),
                        e.chatText(), e.claims() + 1, token));
            }
        }
        return Optional.empty(); // contended: the next pass tries again
    }

    /**
     * The oldest pending ticket effect of the incident before this one (ticket effects are delivered
     * in order: open before comment before close before reopen), or empty.
     */
    public Optional<Effect> earlierTicketEffect(Effect effect) {
        return rows.earliestPendingTicketEffect(effect.incidentId(), effect.id());
    }

    /** True when an effect of that kind waits for the incident (pending, due or not). */
    public boolean pending(long incidentId, EffectKind kind) {
        return rows.count(incidentId, kind, "pending") > 0;
    }

    /** True when the incident has a ticket-open effect in any status: its lifecycle effects have a ticket to act on. */
    public boolean hasTicket(long incidentId) {
        return rows.count(incidentId, EffectKind.OPEN_TICKET, null) > 0;
    }

    /**
     * Gives a claimed effect back without counting an attempt: it waits for an earlier one.
     */
    public void defer(Effect effect, Instant until, String why) {
        rows.defer(effect, until, why, clock.instant());
    }

    /**
     * @param status a status to filter on, or null for all; newest first
     */
    public List<Effect> list(String status, int limit) {
        return rows.list(status, limit);
    }

    /** How many effects are in a status ({@code pending}, {@code done}, {@code dead}). */
    public long count(String status) {
        return rows.count(status);
    }

    /**
     * The mark methods act only while the dispatcher still holds the claim (its token); after the lease
     * ran out another dispatcher may own the row.
     *
     * @return false when the claim was lost
     */
    public boolean markDone(Effect e) {
        return rows.markDone(e, clock.instant());
    }

    public boolean markFailed(Effect e, Instant nextAttempt, String error) {
        return rows.markFailed(e, nextAttempt, error, clock.instant());
    }

    public boolean markDead(Effect e, String error) {
        return rows.markDead(e, error, clock.instant());
    }

    /**
     * Puts a dead effect back in line now, with a new retry horizon.
     *
     * @return false when there is no dead effect with that id
     */
    public boolean retry(long id) {
        return rows.retry(id, clock.instant());
    }

    /**
     * Puts every dead {@code ticket.*} effect of the incident back in line now, with a new retry horizon
     * (chat's Retry button); they are delivered in their order.
     *
     * @return how many went back in line
     */
    public int retryDeadTickets(long incidentId) {
        return rows.retryDeadTickets(incidentId, clock.instant());
    }
}
