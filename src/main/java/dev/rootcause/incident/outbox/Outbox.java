package dev.rootcause.incident.outbox;

import dev.rootcause.store.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code outbox} table: effects waiting, delivered ({@code done}) or given up ({@code dead}).
 * Dispatchers {@link #claim() claim} one due row at a time with {@code FOR UPDATE SKIP LOCKED}
 * (PostgreSQL, and H2 2.4 in PostgreSQL mode), so replicas sharing the store never deliver one
 * effect twice; a claim lasts {@code rootcause.outbox.lease}, after which a crashed replica's row is
 * due again.
 */
@ApplicationScoped
public class Outbox {

    /** Effect kinds. */
    public static final String OPEN_TICKET = "ticket.open";
    public static final String POST_REPORT = "chat.report";
    /** A line in the incident's chat thread; the text is the effect's {@code chatText}. */
    public static final String CHAT_THREAD = "chat.thread";
    /** The incident's chat message edited to show its status. */
    public static final String CHAT_EDIT = "chat.edit";
    /** A comment on the incident's ticket; the text is the effect's {@code chatText}. */
    public static final String COMMENT_TICKET = "ticket.comment";
    /** Close the incident's ticket (Jira: the configured done transition). */
    public static final String CLOSE_TICKET = "ticket.close";
    /** Reopen the incident's ticket. */
    public static final String REOPEN_TICKET = "ticket.reopen";

    private final Database db;
    private final Clock clock;

    private final OutboxConfig config;

    Outbox(Database db, Clock clock, OutboxConfig config) {
        this.db = db;
        this.clock = clock;
        this.config = config;
    }

    /**
     * One effect. Times in UTC.
     *
     * @param reportId   the report it delivers, or null for lifecycle effects
     * @param status     {@code pending}, {@code done} or {@code dead}
     * @param attempts   deliveries finished (succeeded or failed)
     * @param claims     deliveries started; more than {@code attempts} + 1 while claimed means one was cut short
     * @param chatText   the text a {@link #CHAT_THREAD} or {@link #COMMENT_TICKET} effect posts, else null
     * @param claimToken the current claim's token, or null when no dispatcher holds the row
     */
    public record Effect(long id, long incidentId, Long reportId, String kind, String idempotencyKey, String status,
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
     */
    public boolean enqueue(long incidentId, long reportId, String kind, String idempotencyKey) throws SQLException {
        return enqueue(incidentId, Long.valueOf(reportId), kind, idempotencyKey, null);
    }

    /**
     * Adds an effect unless one with the same idempotency key exists; joins the caller's transaction.
     *
     * @param reportId null for lifecycle effects
     * @param chatText what a {@link #CHAT_THREAD} or {@link #COMMENT_TICKET} effect posts, or null
     * @return true when it was added
     */
    public boolean enqueue(long incidentId, Long reportId, String kind, String idempotencyKey, String chatText) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement seen = c.prepareStatement("SELECT 1 FROM outbox WHERE idempotency_key = ?");
                PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (incident_id, report_id, kind, idempotency_key,"
                        + " status, next_attempt_at, horizon_start, created_at, updated_at, chat_text)"
                        + " VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)")) {
            seen.setString(1, idempotencyKey);
            try (ResultSet rs = seen.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            OffsetDateTime now = Database.utc(clock.instant());
            ps.setLong(1, incidentId);
            ps.setObject(2, reportId);
            ps.setString(3, kind);
            ps.setString(4, idempotencyKey);
            for (int i = 5; i <= 8; i++) {
                ps.setObject(i, now);
            }
            ps.setString(9, chatText);
            ps.executeUpdate();
            return true;
        }
    }

    /**
     * Claims the oldest due effect for this dispatcher: locks it, skipping rows another dispatcher has
     * locked, then moves its next attempt past the lease and stamps a fresh claim token, in one
     * transaction. The delivery itself runs outside any transaction.
     *
     * @return the claimed effect (with {@code claims} counting this one), or empty when nothing is due
     */
    @Transactional(rollbackOn = Exception.class) // checked SQLExceptions roll back too
    Optional<Effect> claim() throws SQLException {
        Instant now = clock.instant();
        for (int tries = 0; tries < 10; tries++) {
            List<Effect> due = query("WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
                    Database.utc(now));
            if (due.isEmpty()) {
                return Optional.empty();
            }
            Effect e = due.get(0);
            String token = UUID.randomUUID().toString();
            // H2 may hand out a row as it was before another dispatcher's claim committed (PostgreSQL
            // re-checks the WHERE after the lock): the update re-checks on the row as it is now.
            int claimed = db.update("UPDATE outbox SET claims = claims + 1, claim_token = ?, next_attempt_at = ? WHERE id = ?"
                    + " AND status = 'pending' AND next_attempt_at <= ? AND claims = ?",
                    token, Database.utc(now.plus(config.lease())), e.id(), Database.utc(now), e.claims());
            if (claimed == 1) {
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
    public Optional<Effect> earlierTicketEffect(Effect effect) throws SQLException {
        return query("WHERE incident_id = ? AND id < ? AND status = 'pending' AND kind LIKE 'ticket.%' ORDER BY id LIMIT 1",
                effect.incidentId(), effect.id()).stream().findFirst();
    }

    /** True when an effect of that kind waits for the incident (pending, due or not). */
    boolean pending(long incidentId, String kind) throws SQLException {
        return db.count("SELECT COUNT(*) FROM outbox WHERE incident_id = ? AND kind = ? AND status = 'pending'", incidentId, kind) > 0;
    }

    /** True when the incident has a ticket-open effect in any status: its lifecycle effects have a ticket to act on. */
    public boolean hasTicket(long incidentId) throws SQLException {
        return db.count("SELECT COUNT(*) FROM outbox WHERE incident_id = ? AND kind = ?", incidentId, OPEN_TICKET) > 0;
    }

    /**
     * Gives a claimed effect back without counting an attempt: it waits for an earlier one.
     */
    public void defer(Effect effect, Instant until, String why) throws SQLException {
        db.update("UPDATE outbox SET claims = claims - 1, claim_token = NULL, next_attempt_at = ?, last_error = ?, updated_at = ?"
                + " WHERE id = ? AND claim_token = ?", Database.utc(until), why, Database.utc(clock.instant()), effect.id(),
                effect.claimToken());
    }

    /**
     * @param status a status to filter on, or null for all; newest first
     */
    public List<Effect> list(String status, int limit) throws SQLException {
        return status == null ? query("ORDER BY id DESC LIMIT ?", limit)
                : query("WHERE status = ? ORDER BY id DESC LIMIT ?", status, limit);
    }

    /** How many effects are in a status ({@code pending}, {@code done}, {@code dead}). */
    public long count(String status) throws SQLException {
        return db.count("SELECT COUNT(*) FROM outbox WHERE status = ?", status);
    }

    /**
     * The mark methods act only while the dispatcher still holds the claim (its token); after the lease
     * ran out another dispatcher may own the row.
     *
     * @return false when the claim was lost
     */
    public boolean markDone(Effect e) throws SQLException {
        return db.update("UPDATE outbox SET status = 'done', attempts = attempts + 1, last_error = NULL, claim_token = NULL,"
                + " updated_at = ? WHERE id = ? AND claim_token = ?", Database.utc(clock.instant()), e.id(), e.claimToken()) == 1;
    }

    boolean markFailed(Effect e, Instant nextAttempt, String error) throws SQLException {
        return db.update("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, claim_token = NULL,"
                + " updated_at = ? WHERE id = ? AND claim_token = ?", Database.utc(nextAttempt), error,
                Database.utc(clock.instant()), e.id(), e.claimToken()) == 1;
    }

    boolean markDead(Effect e, String error) throws SQLException {
        return db.update("UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ?, claim_token = NULL,"
                + " updated_at = ? WHERE id = ? AND claim_token = ?", error, Database.utc(clock.instant()), e.id(),
                e.claimToken()) == 1;
    }

    /**
     * Puts a dead effect back in line now, with a new retry horizon.
     *
     * @return false when there is no dead effect with that id
     */
    public boolean retry(long id) throws SQLException {
        OffsetDateTime now = Database.utc(clock.instant());
        return db.update("UPDATE outbox SET status = 'pending', next_attempt_at = ?, horizon_start = ?, updated_at = ?, claim_token = NULL"
                + " WHERE id = ? AND status = 'dead'", now, now, now, id) == 1;
    }

    private List<Effect> query(String where, Object... args) throws SQLException {
        List<Effect> out = new ArrayList<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT id, incident_id, report_id, kind, idempotency_key, status,"
                        + " attempts, next_attempt_at, horizon_start, created_at, updated_at, last_error, chat_text, claims, claim_token"
                        + " FROM outbox " + where)) {
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Effect(rs.getLong(1), rs.getLong(2), rs.getObject(3, Long.class), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getInt(7), time(rs, 8), time(rs, 9), time(rs, 10), time(rs, 11), rs.getString(12),
                            rs.getString(13), rs.getInt(14), rs.getString(15)));
                }
            }
        }
        return out;
    }

    private static Instant time(ResultSet rs, int column) throws SQLException {
        return Database.instant(rs.getObject(column, OffsetDateTime.class));
    }
}
