package dev.rootcause.incident;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The {@code outbox} table: effects waiting, delivered ({@code done}) or given up ({@code dead}). */
@ApplicationScoped
public class Outbox {

    /** Effect kinds. */
    public static final String OPEN_TICKET = "ticket.open";
    public static final String POST_REPORT = "chat.report";
    /** A line in the incident's chat thread; the text is the effect's {@code chatText}. */
    public static final String CHAT_THREAD = "chat.thread";
    /** The incident's chat message edited to show its status. */
    public static final String CHAT_EDIT = "chat.edit";

    private final Database db;
    private final Clock clock;

    Outbox(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * One effect. Times in UTC.
     *
     * @param reportId the report it is about, or null (chat follow-ups)
     * @param status   {@code pending}, {@code done} or {@code dead}
     * @param chatText the text a {@link #CHAT_THREAD} effect posts, else null
     */
    public record Effect(long id, long incidentId, Long reportId, String kind, String idempotencyKey, String status,
            int attempts, Instant nextAttemptAt, Instant horizonStart, Instant createdAt, Instant updatedAt,
            String lastError, String chatText) {
    }

    /**
     * Adds an effect unless one with the same idempotency key exists; joins the caller's transaction.
     *
     * @return true when it was added
     */
    boolean enqueue(long incidentId, long reportId, String kind, String idempotencyKey) throws SQLException {
        return enqueue(incidentId, reportId, kind, idempotencyKey, null);
    }

    /**
     * Adds an effect unless one with the same idempotency key exists; joins the caller's transaction.
     *
     * @param reportId the report it is about, or null
     * @param chatText what a {@link #CHAT_THREAD} effect posts, or null
     * @return true when it was added
     */
    boolean enqueue(long incidentId, Long reportId, String kind, String idempotencyKey, String chatText) throws SQLException {
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

    /** True when an effect of that kind waits for the incident (pending, due or not). */
    boolean pending(long incidentId, String kind) throws SQLException {
        return db.count("SELECT COUNT(*) FROM outbox WHERE incident_id = ? AND kind = ? AND status = 'pending'", incidentId, kind) > 0;
    }

    /** Pending effects whose next attempt is due, oldest first. */
    List<Effect> due(int limit) throws SQLException {
        return query("WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?", Database.utc(clock.instant()), limit);
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

    void markDone(long id) throws SQLException {
        db.update("UPDATE outbox SET status = 'done', attempts = attempts + 1, last_error = NULL, updated_at = ? WHERE id = ?",
                Database.utc(clock.instant()), id);
    }

    void markFailed(long id, Instant nextAttempt, String error) throws SQLException {
        db.update("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?",
                Database.utc(nextAttempt), error, Database.utc(clock.instant()), id);
    }

    void markDead(long id, String error) throws SQLException {
        db.update("UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ?",
                error, Database.utc(clock.instant()), id);
    }

    /**
     * Puts a dead effect back in line now, with a new retry horizon.
     *
     * @return false when there is no dead effect with that id
     */
    public boolean retry(long id) throws SQLException {
        OffsetDateTime now = Database.utc(clock.instant());
        return db.update("UPDATE outbox SET status = 'pending', next_attempt_at = ?, horizon_start = ?, updated_at = ?"
                + " WHERE id = ? AND status = 'dead'", now, now, now, id) == 1;
    }

    private List<Effect> query(String where, Object... args) throws SQLException {
        List<Effect> out = new ArrayList<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT id, incident_id, report_id, kind, idempotency_key, status,"
                        + " attempts, next_attempt_at, horizon_start, created_at, updated_at, last_error, chat_text FROM outbox " + where)) {
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long reportId = rs.getLong(3);
                    Long report = rs.wasNull() ? null : reportId;
                    out.add(new Effect(rs.getLong(1), rs.getLong(2), report, rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getInt(7), time(rs, 8), time(rs, 9), time(rs, 10), time(rs, 11), rs.getString(12),
                            rs.getString(13)));
                }
            }
        }
        return out;
    }

    private static Instant time(ResultSet rs, int column) throws SQLException {
        return Database.instant(rs.getObject(column, OffsetDateTime.class));
    }
}
