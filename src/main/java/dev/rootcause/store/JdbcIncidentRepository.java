package dev.rootcause.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.Notification;
import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.TimelineEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Incidents, their alerts and timelines in tables {@code incident}, {@code incident_alert} and
 * {@code timeline_entry}. Methods join the caller's transaction; {@code IncidentService} owns the
 * transaction boundaries.
 */
@ApplicationScoped
public class JdbcIncidentRepository implements IncidentRepository {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final String COLUMNS = "i.id, i.source, i.group_key, i.generation, i.receiver, i.external_url,"
            + " i.title, i.status, i.severity, i.opened_at, i.updated_at, i.acknowledged_at, i.acknowledged_by,"
            + " i.resolved_at, i.resolved_by,"
            + " (SELECT COUNT(*) FROM incident_alert a WHERE a.incident_id = i.id) AS alert_count,"
            + " i.truncated_alerts, i.group_labels, i.common_labels, i.common_annotations,"
            + " i.root_cause, i.root_cause_confidence, i.ticket_key, i.ticket_url";

    private final Database db;
    private final ObjectMapper json;
    private final JdbcResponseTimes milestones;

    JdbcIncidentRepository(Database db, ObjectMapper json, JdbcResponseTimes milestones) {
        this.milestones = milestones;
        this.db = db;
        this.json = json;
    }

    @Override
    public Optional<Incident> latestForGroup(String source, String groupKey) {
        try {
            return queryOne("SELECT " + COLUMNS + " FROM incident i WHERE i.source = ? AND i.group_key_hash = ?"
                    + " ORDER BY i.generation DESC LIMIT 1", source, Notification.sha256(groupKey));
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public Optional<Incident> find(long id) {
        try {
            return queryOne("SELECT " + COLUMNS + " FROM incident i WHERE i.id = ?", id);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public List<Incident> list(String status, Instant since, int limit) {
        try {
            List<String> where = new ArrayList<>();
            List<Object> args = new ArrayList<>();
            if (status != null) {
                where.add("i.status = ?");
                args.add(status);
            }
            if (since != null) {
                where.add("i.opened_at >= ?");
                args.add(Database.utc(since));
            }
            args.add(limit);
            return query("SELECT " + COLUMNS + " FROM incident i" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                    + " ORDER BY i.opened_at DESC, i.id DESC LIMIT ?", args.toArray());
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public long insert(Notification n, int generation, String title, String severity, Instant now) {
        try {
            String sql = "INSERT INTO incident (source, group_key_hash, generation, group_key, receiver, external_url,"
                    + " title, status, severity, opened_at, updated_at, truncated_alerts, group_labels, common_labels,"
                    + " common_annotations) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)";
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
                Database.bind(ps, n.source(), Notification.sha256(n.groupKey()), generation, n.groupKey(), n.receiver(),
                        n.externalUrl(), title, severity, Database.utc(now), Database.utc(now), n.truncatedAlerts(),
                        toJson(n.groupLabels()), toJson(n.commonLabels()), toJson(n.commonAnnotations()));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public void updateFromNotification(long id, Notification n, String severity, Instant now) {
        try {
            db.update("UPDATE incident SET receiver = ?, external_url = ?, severity = ?, truncated_alerts = ?,"
                    + " common_labels = ?, common_annotations = ?, updated_at = ? WHERE id = ?",
                    n.receiver(), n.externalUrl(), severity, n.truncatedAlerts(), toJson(n.commonLabels()),
                    toJson(n.commonAnnotations()), Database.utc(now), id);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public void setAcknowledged(long id, String by, Instant at) {
        try {
            db.update("UPDATE incident SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, updated_at = ?"
                    + " WHERE id = ?", Database.utc(at), by, Database.utc(at), id);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public void setResolved(long id, String by, Instant at) {
        try {
            db.update("UPDATE incident SET status = 'resolved', resolved_at = ?, resolved_by = ?, updated_at = ? WHERE id = ?",
                    Database.utc(at), by, Database.utc(at), id);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public void setReopened(long id, Instant at) {
        try {
            db.update("UPDATE incident SET status = 'reopened', resolved_at = NULL, resolved_by = NULL,"
                    + " acknowledged_at = NULL, acknowledged_by = NULL, updated_at = ? WHERE id = ?", Database.utc(at), id);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public Map<String, Alert.Status> alertStatuses(long incidentId) {
        try {
            Map<String, Alert.Status> out = new HashMap<>();
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("SELECT fingerprint, status FROM incident_alert WHERE incident_id = ?")) {
                ps.setLong(1, incidentId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), Alert.Status.of(rs.getString(2)));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Inserts new fingerprints and updates known ones, in two JDBC batches. */
    @Override
    public void upsertAlerts(long incidentId, List<Alert> alerts, Map<String, Alert.Status> known, Instant now) {
        try {
            try (Connection c = db.connection();
                    PreparedStatement insert = c.prepareStatement("INSERT INTO incident_alert (status, labels, annotations,"
                            + " starts_at, ends_at, generator_url, updated_at, incident_id, fingerprint)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement update = c.prepareStatement("UPDATE incident_alert SET status = ?, labels = ?,"
                            + " annotations = ?, starts_at = ?, ends_at = ?, generator_url = ?, updated_at = ?"
                            + " WHERE incident_id = ? AND fingerprint = ?")) {
                Map<String, Alert> byFingerprint = new HashMap<>();
                alerts.forEach(a -> byFingerprint.put(a.fingerprint(), a)); // a repeated fingerprint: last wins
                for (Alert a : byFingerprint.values()) {
                    PreparedStatement ps = known.containsKey(a.fingerprint()) ? update : insert;
                    Database.bind(ps, a.status().wire(), toJson(a.labels()), toJson(a.annotations()), Database.utc(a.startsAt()),
                            Database.utc(a.endsAt()), a.generatorUrl(), Database.utc(now), incidentId, a.fingerprint());
                    ps.addBatch();
                }
                insert.executeBatch();
                update.executeBatch();
            }
            // the earliest startsAt ever stored: response times count from it (V20__response_times.sql)
            db.update("UPDATE incident SET started_at = (SELECT MIN(a.starts_at) FROM incident_alert a WHERE a.incident_id = ?)"
                    + " WHERE id = ? AND (started_at IS NULL OR started_at > (SELECT MIN(a.starts_at) FROM incident_alert a"
                    + " WHERE a.incident_id = ?))", incidentId, incidentId, incidentId);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public List<Alert> alerts(long incidentId) {
        try {
            String sql = "SELECT fingerprint, status, labels, annotations, starts_at, ends_at, generator_url"
                    + " FROM incident_alert WHERE incident_id = ? ORDER BY starts_at, fingerprint";
            List<Alert> out = new ArrayList<>();
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, incidentId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Alert(rs.getString(1), Alert.Status.of(rs.getString(2)), fromJson(rs.getString(3)),
                                fromJson(rs.getString(4)), Database.instant(rs.getObject(5, OffsetDateTime.class)),
                                Database.instant(rs.getObject(6, OffsetDateTime.class)), rs.getString(7)));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public void addTimeline(long incidentId, Instant at, String kind, String actor, String message) {
        try {
            milestones.beforeTimeline(incidentId, kind, at);
            db.update("INSERT INTO timeline_entry (incident_id, at, kind, actor, message) VALUES (?, ?, ?, ?, ?)",
                    incidentId, Database.utc(at), kind, actor, message);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public List<TimelineEntry> timeline(long incidentId) {
        try {
            List<TimelineEntry> out = new ArrayList<>();
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement(
                            "SELECT id, at, kind, actor, message FROM timeline_entry WHERE incident_id = ? ORDER BY id")) {
                ps.setLong(1, incidentId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TimelineEntry(rs.getLong(1), Database.instant(rs.getObject(2, OffsetDateTime.class)),
                                rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private Optional<Incident> queryOne(String sql, Object... args) throws SQLException {
        List<Incident> found = query(sql, args);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private List<Incident> query(String sql, Object... args) throws SQLException {
        List<Incident> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Incident(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            time(rs, 10), time(rs, 11), time(rs, 12), rs.getString(13), time(rs, 14),
                            rs.getString(15), rs.getInt(16), rs.getInt(17), fromJson(rs.getString(18)),
                            fromJson(rs.getString(19)), fromJson(rs.getString(20)), rs.getString(21),
                            rs.getString(22), rs.getString(23), rs.getString(24)));
                }
            }
        }
        return out;
    }

    private static Instant time(ResultSet rs, int column) throws SQLException {
        return Database.instant(rs.getObject(column, OffsetDateTime.class));
    }

    private String toJson(Map<String, String> map) {
        try {
            return json.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    private Map<String, String> fromJson(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored label JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
