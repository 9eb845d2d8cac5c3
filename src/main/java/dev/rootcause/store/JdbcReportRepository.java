package dev.rootcause.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.incident.ClaimLostException;
import dev.rootcause.incident.StoreException;
import dev.rootcause.report.Report;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Diagnosis state and reports of incidents ({@code report} table and the incident's diagnosis columns). */
@ApplicationScoped
public class JdbcReportRepository implements ReportRepository {

    private final Database db;
    private final ObjectMapper json;

    JdbcReportRepository(Database db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    @Override
    public void markDue(long incidentId) {
        try {
            db.update("UPDATE incident SET diagnosis_due = TRUE, diagnosis_token = NULL, diagnosis_lease_until = NULL WHERE id = ?",
                    incidentId);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public List<Long> due(int limit, Instant now) {
        try {
            List<Long> out = new ArrayList<>();
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("SELECT id FROM incident WHERE diagnosis_due = TRUE"
                            + " AND (diagnosis_lease_until IS NULL OR diagnosis_lease_until <= ?) ORDER BY id LIMIT ?")) {
                ps.setObject(1, Database.utc(now));
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public boolean claimDiagnosis(long incidentId, String token, Instant leaseEnd, Instant now) {
        String free = " AND diagnosis_due = TRUE AND (diagnosis_lease_until IS NULL OR diagnosis_lease_until <= ?)";
        try (Connection c = db.connection();
                PreparedStatement lock = c.prepareStatement("SELECT id FROM incident WHERE id = ?" + free + " FOR UPDATE SKIP LOCKED")) {
            Database.bind(lock, incidentId, Database.utc(now));
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
            // re-checked on the row as it is now (H2 may hand out a row as it was before another claim committed)
            return db.update("UPDATE incident SET diagnosis_token = ?, diagnosis_lease_until = ? WHERE id = ?" + free,
                    token, Database.utc(leaseEnd), incidentId, Database.utc(now)) == 1;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public void holdDiagnosis(long incidentId, String token) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT diagnosis_token FROM incident WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !token.equals(rs.getString(1))) {
                    throw new ClaimLostException("the diagnosis of incident " + incidentId + " is no longer claimed by this replica");
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Stores a report, copies its root cause onto the incident and clears the due flag.
     *
     * @return the report's id
     */
    @Override
    public long save(Report report) {
        try {
            var rc = report.diagnosis().rootCause();
            long id;
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO report (incident_id, created_at, root_cause,"
                            + " confidence, partial, markdown, findings, evidence, alert_context, recordings, diagnosis)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                ps.setLong(1, report.incidentId());
                ps.setObject(2, Database.utc(report.createdAt()));
                ps.setString(3, rc == null ? null : rc.summary());
                ps.setString(4, rc == null ? null : rc.confidence().wire());
                ps.setBoolean(5, report.partial());
                ps.setString(6, report.markdown());
                ps.setString(7, toJson(report.diagnosis().findings()));
                ps.setString(8, toJson(report.diagnosis().evidence()));
                ps.setString(9, toJson(report.diagnosis().alert()));
                ps.setString(10, toJson(report.diagnosis().evidence().stream().flatMap(e -> e.recorded().stream()).toList()));
                ps.setString(11, toJson(report.diagnosis()));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            db.update("UPDATE incident SET diagnosis_due = FALSE, diagnosis_token = NULL, diagnosis_lease_until = NULL, root_cause = ?, root_cause_confidence = ?, root_cause_rule = ?"
                    + " WHERE id = ?", rc == null ? null : rc.summary(), rc == null ? null : rc.confidence().wire(),
                    rc == null ? null : rc.rule(), report.incidentId());
            return id;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public Report load(long reportId, Incident incident) {
        try {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("SELECT created_at, markdown, diagnosis, recordings FROM report WHERE id = ?")) {
                ps.setLong(1, reportId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no report " + reportId);
                    }
                    Diagnosis d = json.readValue(rs.getString(3), Diagnosis.class);
                    String recordings = rs.getString(4);
                    if (recordings != null) {
                        d = withRecordings(d, json.readValue(recordings, RECORDINGS));
                    }
                    return new Report(incident.id(), incident.title(), incident.severity(),
                            Database.instant(rs.getObject(1, java.time.OffsetDateTime.class)), d, rs.getString(2));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored diagnosis of report " + reportId + " unreadable: " + e.getOriginalMessage(), e);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public Optional<Long> latestId(long incidentId) {
        try {
            long id = db.count("SELECT COALESCE(MAX(id), 0) FROM report WHERE incident_id = ?", incidentId);
            return id == 0 ? Optional.empty() : Optional.of(id);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<List<Evidence.Recorded>> RECORDINGS =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };

    /** The backend answers are stored apart from the diagnosis (not part of its JSON): give each evidence its own back. */
    private static Diagnosis withRecordings(Diagnosis d, List<Evidence.Recorded> recorded) {
        List<Evidence> evidence = d.evidence().stream().map(e -> e.query() == null ? e : new Evidence(e.step(), e.type(), e.kind(),
                e.source(), e.query(), e.windowStart(), e.windowEnd(), e.status(), e.reason(), e.values(), e.link(),
                recorded.stream().filter(r -> e.query().equals(r.query())).toList())).toList();
        return new Diagnosis(d.alert(), d.rules(), evidence, d.findings(), d.rootCause(), d.partial(), d.runbook(), d.layers(),
                d.rankingNotes(), d.notRun());
    }

    @Override
    public void clearDue(long incidentId) {
        try {
            db.update("UPDATE incident SET diagnosis_due = FALSE, diagnosis_token = NULL, diagnosis_lease_until = NULL WHERE id = ?",
                    incidentId);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public void setTicket(long incidentId, String key, String url) {
        try {
            db.update("UPDATE incident SET ticket_key = ?, ticket_url = ? WHERE id = ?", key, url, incidentId);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public Optional<Replayable> replayable(long incidentId) {
        try {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("SELECT alert_context, recordings, findings, root_cause FROM report"
                            + " WHERE incident_id = ? ORDER BY id DESC LIMIT 1")) {
                ps.setLong(1, incidentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Replayable(json.readTree(rs.getString(1)), json.readTree(rs.getString(2)),
                            json.readTree(rs.getString(3)), rs.getString(4)));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored report JSON unreadable", e);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public Optional<StoredReport> latest(long incidentId) {
        try {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("SELECT markdown, findings, evidence FROM report"
                            + " WHERE incident_id = ? ORDER BY id DESC LIMIT 1")) {
                ps.setLong(1, incidentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new StoredReport(rs.getString(1), json.readTree(rs.getString(2)), json.readTree(rs.getString(3))));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored report JSON unreadable", e);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report does not serialize: " + e.getOriginalMessage(), e);
        }
    }
}
