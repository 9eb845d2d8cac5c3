package dev.rootcause.store;

import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.outbox.EffectKind;
import dev.rootcause.incident.outbox.Outbox;
import dev.rootcause.incident.outbox.OutboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code outbox} table. Claims lock with {@code FOR UPDATE SKIP LOCKED} (PostgreSQL, and H2 2.4 in
 * PostgreSQL mode); the claim's transaction is {@link Outbox}'s.
 */
@ApplicationScoped
public class JdbcOutboxRepository implements OutboxRepository {

    private static final String COLUMNS = "id, incident_id, report_id, kind, idempotency_key, status, attempts, next_attempt_at,"
            + " horizon_start, created_at, updated_at, last_error, chat_text, claims, claim_token";

    /**
     * Claims and the ticket order see only the kinds this version delivers: an effect of a kind it does not
     * know (written by a newer replica) waits for one that does, instead of failing or stopping the dispatcher.
     */
    private static final String KNOWN_KINDS = java.util.Arrays.stream(EffectKind.values()).map(k -> "'" + k.wire() + "'")
            .collect(java.util.stream.Collectors.joining(", ", "kind IN (", ")"));

    private final Database db;

    JdbcOutboxRepository(Database db) {
        this.db = db;
    }

    @Override
    public boolean insertIfAbsent(long incidentId, Long reportId, EffectKind kind, String idempotencyKey, String chatText, Instant now) {
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
            OffsetDateTime at = Database.utc(now);
            ps.setLong(1, incidentId);
            ps.setObject(2, reportId);
            ps.setString(3, kind.wire());
            ps.setString(4, idempotencyKey);
            for (int i = 5; i <= 8; i++) {
                ps.setObject(i, at);
            }
            ps.setString(9, chatText);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public Optional<Outbox.Effect> lockOldestDue(Instant now, boolean withChat) {
        return query("WHERE status = 'pending' AND next_attempt_at <= ? AND " + KNOWN_KINDS + (withChat ? "" : " AND kind NOT LIKE 'chat.%'")
                + " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
                Database.utc(now)).stream().findFirst();
    }

    @Override
    public boolean stampClaim(Outbox.Effect e, String token, Instant leaseEnd, Instant now) {
        // H2 may hand out a row as it was before another dispatcher's claim committed (PostgreSQL
        // re-checks the WHERE after the lock): the update re-checks on the row as it is now.
        return update("UPDATE outbox SET claims = claims + 1, claim_token = ?, next_attempt_at = ? WHERE id = ?"
                + " AND status = 'pending' AND next_attempt_at <= ? AND claims = ?",
                token, Database.utc(leaseEnd), e.id(), Database.utc(now), e.claims()) == 1;
    }

    @Override
    public Optional<Outbox.Effect> earliestPendingTicketEffect(long incidentId, long beforeId) {
        return query("WHERE incident_id = ? AND id < ? AND status = 'pending' AND kind LIKE 'ticket.%' AND " + KNOWN_KINDS
                + " ORDER BY id LIMIT 1",
                incidentId, beforeId).stream().findFirst();
    }

    @Override
    public long count(long incidentId, EffectKind kind, String status) {
        return status == null ? count("SELECT COUNT(*) FROM outbox WHERE incident_id = ? AND kind = ?", incidentId, kind.wire())
                : count("SELECT COUNT(*) FROM outbox WHERE incident_id = ? AND kind = ? AND status = ?", incidentId, kind.wire(), status);
    }

    @Override
    public void defer(Outbox.Effect effect, Instant until, String why, Instant now) {
        update("UPDATE outbox SET claims = claims - 1, claim_token = NULL, next_attempt_at = ?, last_error = ?, updated_at = ?"
                + " WHERE id = ? AND claim_token = ?", Database.utc(until), why, Database.utc(now), effect.id(), effect.claimToken());
    }

    @Override
    public List<Outbox.Effect> list(String status, int limit) {
        return status == null ? query("ORDER BY id DESC LIMIT ?", limit)
                : query("WHERE status = ? ORDER BY id DESC LIMIT ?", status, limit);
    }

    @Override
    public long count(String status) {
        return count("SELECT COUNT(*) FROM outbox WHERE status = ?", status);
    }

    @Override
    public boolean markDone(Outbox.Effect e, Instant now) {
        return update("UPDATE outbox SET status = 'done', attempts = attempts + 1, last_error = NULL, claim_token = NULL,"
                + " updated_at = ? WHERE id = ? AND claim_token = ?", Database.utc(now), e.id(), e.claimToken()) == 1;
    }

    @Override
    public boolean markFailed(Outbox.Effect e, Instant nextAttempt, String error, Instant now) {
        return update("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, claim_token = NULL,"
                + " updated_at = ? WHERE id = ? AND claim_token = ?", Database.utc(nextAttempt), error,
                Database.utc(now), e.id(), e.claimToken()) == 1;
    }

    @Override
    public boolean markDead(Outbox.Effect e, String error, Instant now) {
        return update("UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ?, claim_token = NULL,"
                + " updated_at = ? WHERE id = ? AND claim_token = ?", error, Database.utc(now), e.id(), e.claimToken()) == 1;
    }

    @Override
    public boolean retry(long id, Instant now) {
        OffsetDateTime at = Database.utc(now);
        return update("UPDATE outbox SET status = 'pending', next_attempt_at = ?, horizon_start = ?, updated_at = ?, claim_token = NULL"
                + " WHERE id = ? AND status = 'dead'", at, at, at, id) == 1;
    }

    @Override
    public int retryDeadTickets(long incidentId, Instant now) {
        OffsetDateTime at = Database.utc(now);
        return update("UPDATE outbox SET status = 'pending', next_attempt_at = ?, horizon_start = ?, updated_at = ?, claim_token = NULL"
                + " WHERE incident_id = ? AND status = 'dead' AND kind LIKE 'ticket.%'", at, at, at, incidentId);
    }

    private int update(String sql, Object... args) {
        try {
            return db.update(sql, args);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private long count(String sql, Object... args) {
        try {
            return db.count(sql, args);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private List<Outbox.Effect> query(String where, Object... args) {
        List<Outbox.Effect> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox " + where)) {
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Outbox.Effect(rs.getLong(1), rs.getLong(2), rs.getObject(3, Long.class), kind(rs.getString(4)),
                            rs.getString(5), rs.getString(6), rs.getInt(7), time(rs, 8), time(rs, 9), time(rs, 10), time(rs, 11),
                            rs.getString(12), rs.getString(13), rs.getInt(14), rs.getString(15)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
        return out;
    }

    /** The effect's kind, or null for one this version does not know (only listings read such rows). */
    private static EffectKind kind(String wire) {
        return java.util.Arrays.stream(EffectKind.values()).filter(k -> k.wire().equals(wire)).findFirst().orElse(null);
    }

    private static Instant time(ResultSet rs, int column) throws SQLException {
        return Database.instant(rs.getObject(column, OffsetDateTime.class));
    }
}
