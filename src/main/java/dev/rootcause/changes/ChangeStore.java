package dev.rootcause.changes;

import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.ChangeSourceException;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.store.Database;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The changes posted to the API, in the incident store (table {@code change_event}, Flyway V4; H2 and
 * PostgreSQL). Also the {@code api} {@link ChangeSource} the {@code changes.*} steps read.
 */
@ApplicationScoped
public class ChangeStore implements ChangeSource {

    private static final String COLUMNS = "id, service, version, previous_version, commit_range, author, changed_at, source, link, "
            + "body_hash, received_at, verify_status, verify_requested_at, verify_due_at, verify_decided_at, verify_result";

    private final Database db;

    ChangeStore(Database db) {
        this.db = db;
    }

    /** The outcome of {@link #save}: the stored record and whether this call created it. */
    public record Saved(StoredChange stored, boolean created) {
    }

    /** Same id, different body: answered 409. */
    public static final class Conflict extends RuntimeException {
        public final StoredChange existing;

        Conflict(StoredChange existing) {
            super("change " + existing.change().id() + " exists with a different body; use a new id for a new change");
            this.existing = existing;
        }
    }

    /**
     * Stores a change once per id. A retry with the same body returns the stored record ({@code created} false);
     * concurrent first posts race on the primary key and the loser reads the winner's row.
     *
     * @throws Conflict when the id exists with a different body
     */
    public Saved save(ChangeRequest r, String bodyHash, Instant receivedAt) throws SQLException {
        Optional<StoredChange> existing = find(r.id());
        if (existing.isEmpty()) {
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO change_event (id, service, version, "
                    + "previous_version, commit_range, author, changed_at, source, link, body_hash, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                Instant time = r.time() == null ? receivedAt : r.time();
                Object[] args = {r.id(), r.service(), r.version(), r.previousVersion(), r.commitRange(), r.author(), utc(time),
                        r.source(), r.link(), bodyHash, utc(receivedAt)};
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
                return new Saved(find(r.id()).orElseThrow(), true);
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                existing = find(r.id());
            }
        }
        StoredChange stored = existing.orElseThrow();
        if (!stored.bodyHash().equals(bodyHash)) {
            throw new Conflict(stored);
        }
        return new Saved(stored, false);
    }

    public Optional<StoredChange> find(String id) throws SQLException {
        List<StoredChange> found = query("SELECT " + COLUMNS + " FROM change_event WHERE id = ?", id);
        return found.stream().findFirst();
    }

    /**
     * Changes of a service (all services when null) since an instant, newest first.
     *
     * @param sources the kinds of change to list ({@link ChangeEvent#SOURCES}); empty lists every kind
     */
    public List<StoredChange> list(String service, Set<String> sources, Instant since, int limit) throws SQLException {
        List<Object> args = new ArrayList<>();
        args.add(utc(since));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM change_event WHERE changed_at >= ?");
        if (service != null) {
            sql.append(" AND service = ?");
            args.add(service);
        }
        sql.append(sourceFilter(sources, args));
        sql.append(" ORDER BY changed_at DESC, received_at DESC LIMIT ").append(limit);
        return query(sql.toString(), args.toArray());
    }

    /** {@code AND source IN (?, ...)} with its values added to {@code args}; "" when every kind is wanted. */
    private static String sourceFilter(Set<String> sources, List<Object> args) {
        if (sources.isEmpty()) {
            return "";
        }
        List<String> sorted = new TreeSet<>(sources).stream().toList();
        args.addAll(sorted);
        return " AND source IN (" + String.join(", ", java.util.Collections.nCopies(sorted.size(), "?")) + ")";
    }

    @Override
    public String name() {
        return "api";
    }

    @Override
    public List<ChangeEvent> changes(String service, Instant since, Instant until) throws ChangeSourceException {
        return changes(service, since, until, Set.of());
    }

    /** Filtered in SQL, so that the page of 100 holds only the kinds asked for. */
    @Override
    public List<ChangeEvent> changes(String service, Instant since, Instant until, Set<String> sources) throws ChangeSourceException {
        List<Object> args = new ArrayList<>(List.of(service, utc(since), utc(until)));
        String filter = sourceFilter(sources, args);
        try {
            return query("SELECT " + COLUMNS + " FROM change_event WHERE service = ? AND changed_at >= ? AND changed_at <= ?" + filter
                    + " ORDER BY changed_at DESC, received_at DESC LIMIT 100", args.toArray())
                    .stream().map(StoredChange::change).toList();
        } catch (SQLException e) {
            throw new ChangeSourceException(Evidence.Status.ERROR, "change store unavailable: " + e.getMessage());
        }
    }

    /** Asks for a verification unless one exists; returns whether this call asked. */
    boolean requestVerification(String id, Instant requestedAt, Instant dueAt) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("UPDATE change_event SET verify_status = 'pending', "
                + "verify_requested_at = ?, verify_due_at = ? WHERE id = ? AND verify_status IS NULL")) {
            ps.setObject(1, utc(requestedAt));
            ps.setObject(2, utc(dueAt));
            ps.setString(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Verifications due at {@code now}, oldest first. */
    List<StoredChange> dueVerifications(Instant now, int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM change_event WHERE verify_status = 'pending' AND verify_due_at <= ? "
                + "ORDER BY verify_due_at LIMIT " + limit, utc(now));
    }

    /** Records a verdict once: only a pending verification is decided (a concurrent decider loses quietly). */
    boolean decide(String id, String status, Instant decidedAt, String resultJson) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("UPDATE change_event SET verify_status = ?, "
                + "verify_decided_at = ?, verify_result = ? WHERE id = ? AND verify_status = 'pending'")) {
            ps.setString(1, status);
            ps.setObject(2, utc(decidedAt));
            ps.setString(3, resultJson);
            ps.setString(4, id);
            return ps.executeUpdate() == 1;
        }
    }

    private List<StoredChange> query(String sql, Object... args) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<StoredChange> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ChangeEvent change = new ChangeEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), instant(rs, 7), rs.getString(8), rs.getString(9), "api",
                            null, null, null);
                    String status = rs.getString(12);
                    StoredChange.Verification v = status == null ? null
                            : new StoredChange.Verification(status, instant(rs, 13), instant(rs, 14), instant(rs, 15), rs.getString(16));
                    out.add(new StoredChange(change, rs.getString(10), instant(rs, 11), v));
                }
            }
            return out;
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
