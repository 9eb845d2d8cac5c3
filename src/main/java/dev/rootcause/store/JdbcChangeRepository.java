package dev.rootcause.store;

import dev.rootcause.changes.ChangeRepository;
import dev.rootcause.changes.ChangeRequest;
import dev.rootcause.changes.StoredChange;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.incident.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The {@code change_event} table (Flyway V4, V22; H2 and PostgreSQL). */
@ApplicationScoped
public class JdbcChangeRepository implements ChangeRepository {

    private static final String COLUMNS = "id, service, version, previous_version, commit_range, author, changed_at, kind, link, "
            + "body_hash, received_at, verify_status, verify_requested_at, verify_due_at, verify_decided_at, verify_result, source, environment";

    private final Database db;

    JdbcChangeRepository(Database db) {
        this.db = db;
    }

    @Override
    public boolean insert(ChangeRequest r, String bodyHash, Instant receivedAt) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO change_event (id, service, version, "
                + "previous_version, commit_range, author, changed_at, kind, link, body_hash, received_at, source, environment) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            Instant time = r.time() == null ? receivedAt : r.time();
            Database.bind(ps, r.id(), r.service(), r.version(), r.previousVersion(), r.commitRange(), r.author(), Database.utc(time),
                    r.kind(), r.link(), bodyHash, Database.utc(receivedAt), r.source(), r.environment());
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) { // concurrent first posts race on the primary key
                return false;
            }
            throw new StoreException(e);
        }
    }

    @Override
    public Optional<StoredChange> find(String id) {
        return query("SELECT " + COLUMNS + " FROM change_event WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<StoredChange> list(String service, Set<String> kinds, String source, Instant since, int limit) {
        List<Object> args = new ArrayList<>();
        args.add(Database.utc(since));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM change_event WHERE changed_at >= ?");
        if (service != null) {
            sql.append(" AND service = ?");
            args.add(service);
        }
        sql.append(kindFilter(kinds, args));
        if (source != null) {
            sql.append(" AND source = ?");
            args.add(source);
        }
        sql.append(" ORDER BY changed_at DESC, received_at DESC LIMIT ").append(limit);
        return query(sql.toString(), args.toArray());
    }

    /** Filtered in SQL, so that a page holds only the kinds asked for. */
    @Override
    public List<StoredChange> between(String service, Instant since, Instant until, Set<String> kinds, int limit) {
        List<Object> args = new ArrayList<>(List.of(service, Database.utc(since), Database.utc(until)));
        String filter = kindFilter(kinds, args);
        return query("SELECT " + COLUMNS + " FROM change_event WHERE service = ? AND changed_at >= ? AND changed_at <= ?" + filter
                + " ORDER BY changed_at DESC, received_at DESC LIMIT " + limit, args.toArray());
    }

    /** {@code AND kind IN (?, ...)} with its values added to {@code args}; "" when every kind is wanted. */
    private static String kindFilter(Set<String> kinds, List<Object> args) {
        if (kinds.isEmpty()) {
            return "";
        }
        List<String> sorted = new TreeSet<>(kinds).stream().toList();
        args.addAll(sorted);
        return " AND kind IN (" + String.join(", ", Collections.nCopies(sorted.size(), "?")) + ")";
    }

    @Override
    public boolean requestVerification(String id, Instant requestedAt, Instant dueAt) {
        try {
            return db.update("UPDATE change_event SET verify_status = 'pending', verify_requested_at = ?, verify_due_at = ?"
                    + " WHERE id = ? AND verify_status IS NULL", Database.utc(requestedAt), Database.utc(dueAt), id) == 1;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public List<StoredChange> dueVerifications(Instant now, int limit) {
        return query("SELECT " + COLUMNS + " FROM change_event WHERE verify_status = 'pending' AND verify_due_at <= ? "
                + "ORDER BY verify_due_at LIMIT " + limit, Database.utc(now));
    }

    @Override
    public boolean decide(String id, String status, Instant decidedAt, String resultJson) {
        try {
            return db.update("UPDATE change_event SET verify_status = ?, verify_decided_at = ?, verify_result = ?"
                    + " WHERE id = ? AND verify_status = 'pending'", status, Database.utc(decidedAt), resultJson, id) == 1;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private List<StoredChange> query(String sql, Object... args) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, args);
            List<StoredChange> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ChangeEvent change = new ChangeEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), instant(rs, 7), rs.getString(8), rs.getString(9), "api",
                            null, null, null, rs.getString(17), rs.getString(18));
                    String status = rs.getString(12);
                    StoredChange.Verification v = status == null ? null
                            : new StoredChange.Verification(status, instant(rs, 13), instant(rs, 14), instant(rs, 15), rs.getString(16));
                    out.add(new StoredChange(change, rs.getString(10), instant(rs, 11), v));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return Database.instant(rs.getObject(column, OffsetDateTime.class));
    }
}
