package dev.rootcause.store;

import dev.rootcause.incident.ClaimLostException;
import dev.rootcause.incident.Delivery;
import dev.rootcause.incident.DeliveryRepository;
import dev.rootcause.incident.Notification;
import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.pipeline.DeliveryGroupCommit;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The durable log of accepted webhook bodies ({@code delivery} table). Intake appends to it before
 * answering, in group commits shared by concurrent requests; {@code DeliveryProcessor} drains it. A
 * unique index on the dedup key makes concurrent copies of one delivery collapse into one row.
 */
@ApplicationScoped
public class JdbcDeliveryRepository implements DeliveryRepository {

    private static final Logger LOG = Logger.getLogger(JdbcDeliveryRepository.class);

    /** How long intake waits for its group commit before answering 503 (the sender retries). */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final Database db;
    private final Clock clock;
    private final DeliveryGroupCommit groupCommit;

    JdbcDeliveryRepository(Database db, Clock clock, MeterRegistry meters) {
        this.db = db;
        this.clock = clock;
        // bodies per intake commit: count / sum of rootcause_intake_commit_bodies is the mean batch
        DistributionSummary batches = DistributionSummary.builder("rootcause.intake.commit.bodies")
                .description("webhook bodies stored per intake transaction (group commit)").register(meters);
        this.groupCommit = new DeliveryGroupCommit(committing(db::connection, (c, bodies) -> insert(c, bodies, clock.instant())),
                ANSWER_TIMEOUT, batches::record);
    }

    /** Opens a connection outside any JTA transaction (autocommit on). */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    /** Stores bodies on a connection in a transaction the caller commits. */
    @FunctionalInterface
    public interface ConnectionWriter {
        /**
         * @param bodies at least one, with distinct dedup keys
         * @return dedup key → new row id for each body stored; a body whose dedup key was already stored is absent
         */
        Map<String, Long> insert(Connection c, List<DeliveryGroupCommit.Body> bodies) throws SQLException;
    }

    /**
     * The group commit's writer: each batch on a connection of its own, in one transaction committed before
     * it returns, rolled back when the insert fails.
     */
    public static DeliveryGroupCommit.Writer committing(Connections connections, ConnectionWriter writer) {
        return bodies -> {
            try (Connection c = connections.open()) {
                c.setAutoCommit(false);
                try {
                    Map<String, Long> ids = writer.insert(c, bodies);
                    c.commit();
                    return ids;
                } catch (SQLException e) {
                    rollback(c);
                    throw e;
                } finally {
                    if (!c.getAutoCommit()) {
                        c.setAutoCommit(true);
                    }
                }
            } catch (SQLException e) {
                throw new StoreException(e);
            }
        };
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.warnf(e, "rollback of an intake batch failed");
        }
    }

    /**
     * Most duplicates (the HA peer's copy, a repeat) are found by a read on the caller's thread; a new
     * body is inserted in a transaction shared with the bodies of concurrent requests
     * ({@link DeliveryGroupCommit}).
     */
    @Override
    public OptionalLong append(Notification notification, byte[] body) {
        String key = notification.dedupKey();
        try (Connection c = db.connection(); PreparedStatement seen = c.prepareStatement("SELECT 1 FROM delivery WHERE dedup_key = ?")) {
            seen.setString(1, key);
            try (ResultSet rs = seen.executeQuery()) {
                if (rs.next()) {
                    return OptionalLong.empty();
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
        return groupCommit.append(notification, key, body);
    }

    /**
     * Inserts bodies on {@code c} (the caller commits) in one statement, one round trip on PostgreSQL,
     * skipping those whose dedup key is already stored: the unique index decides when copies race
     * ({@code ON CONFLICT DO NOTHING}, PostgreSQL and H2 in PostgreSQL mode).
     *
     * @param bodies at least one, with distinct dedup keys
     * @return dedup key → new row id, for the bodies stored
     */
    public static Map<String, Long> insert(Connection c, List<DeliveryGroupCommit.Body> bodies, Instant receivedAt) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO delivery (source, dedup_key, received_at, alert_count, body_utf8,"
                + " group_key_hash, status) VALUES ");
        for (int i = 0; i < bodies.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, 'pending')");
        }
        sql.append(" ON CONFLICT DO NOTHING");
        Map<String, Long> ids = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString(), new String[] {"id", "dedup_key"})) {
            Object at = Database.utc(receivedAt);
            int p = 0;
            for (DeliveryGroupCommit.Body b : bodies) {
                ps.setString(++p, b.notification().source());
                ps.setString(++p, b.dedupKey());
                ps.setObject(++p, at);
                ps.setInt(++p, b.notification().alerts().size());
                ps.setBytes(++p, b.bytes());
                ps.setString(++p, Notification.sha256(b.notification().groupKey()));
            }
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                while (keys.next()) {
                    ids.put(keys.getString(2), keys.getLong(1));
                }
            }
        }
        return ids;
    }

    @PreDestroy
    void close() throws InterruptedException {
        groupCommit.close();
    }

    /**
     * The oldest pending delivery of each group whose lease (if any) ran out, locked with {@code SKIP LOCKED}.
     * A later delivery of a group waits while an earlier one is pending, claimed or not: that keeps the
     * group's order across replicas (a claim under way elsewhere is invisible to this snapshot, the pending
     * row is not). Rows from before V16 have no group hash and are claimed in id order.
     */
    private static final String CLAIMABLE = "SELECT id FROM delivery d WHERE d.status = 'pending'"
            + " AND (d.lease_until IS NULL OR d.lease_until <= ?)"
            + " AND (d.group_key_hash IS NULL OR NOT EXISTS (SELECT 1 FROM delivery e WHERE e.group_key_hash = d.group_key_hash"
            + " AND e.source = d.source AND e.status = 'pending' AND e.id < d.id))"
            + " ORDER BY d.id LIMIT ? FOR UPDATE SKIP LOCKED";

    @Override
    public List<Delivery> claim(int limit, Duration lease) {
        Instant now = clock.instant();
        String token = UUID.randomUUID().toString();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                List<Long> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(CLAIMABLE)) {
                    ps.setObject(1, Database.utc(now));
                    ps.setInt(2, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                        }
                    }
                }
                if (!ids.isEmpty()) {
                    // re-checked on the row as it is now: H2 may hand out a row as it was before another claim committed
                    try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET claim_token = ?, lease_until = ?"
                            + " WHERE id = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)")) {
                        for (long id : ids) {
                            Database.bind(ps, token, Database.utc(now.plus(lease)), id, Database.utc(now));
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return claimed(c, token);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static List<Delivery> claimed(Connection c, String token) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, source, received_at, body, body_utf8, attempts FROM delivery"
                + " WHERE claim_token = ? ORDER BY id")) {
            ps.setString(1, token);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] bytes = rs.getBytes(5); // rows stored before V14 have text instead
                    out.add(new Delivery(rs.getLong(1), rs.getString(2), Database.instant(rs.getObject(3, OffsetDateTime.class)),
                            bytes != null ? bytes : rs.getString(4).getBytes(StandardCharsets.UTF_8), rs.getInt(6), token));
                }
            }
        }
        return out;
    }

    @Override
    public void lockClaim(Delivery delivery) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT claim_token FROM delivery WHERE id = ? AND status = 'pending' FOR UPDATE")) {
            ps.setLong(1, delivery.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !java.util.Objects.equals(rs.getString(1), delivery.claimToken())) {
                    throw new ClaimLostException("delivery " + delivery.id() + " is no longer claimed by this replica");
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public void markProcessed(Delivery delivery, long incidentId) {
        int changed = update("UPDATE delivery SET status = 'processed', processed_at = ?, incident_id = ?, claim_token = NULL,"
                + " lease_until = NULL WHERE id = ? AND claim_token = ?", Database.utc(clock.instant()), incidentId, delivery.id(),
                delivery.claimToken());
        if (changed != 1) {
            throw new ClaimLostException("delivery " + delivery.id() + " is no longer claimed by this replica");
        }
    }

    @Override
    public boolean markAttemptFailed(Delivery delivery, String error) {
        boolean park = delivery.attempts() + 1 >= MAX_ATTEMPTS;
        int changed = update("UPDATE delivery SET attempts = attempts + 1, last_error = ?, status = ?, claim_token = NULL,"
                + " lease_until = NULL WHERE id = ? AND claim_token = ?", error, park ? "failed" : "pending", delivery.id(), delivery.claimToken());
        return changed == 1 && park;
    }

    private int update(String sql, Object... args) {
        try {
            return db.update(sql, args);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public long count(String status) {
        try {
            return db.count("SELECT COUNT(*) FROM delivery WHERE status = ?", status);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }
}
