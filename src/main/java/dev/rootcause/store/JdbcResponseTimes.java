package dev.rootcause.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.stats.IncidentTimes;
import dev.rootcause.incident.stats.IncidentTimes.Milestone;
import dev.rootcause.incident.stats.ResponseTimeRepository;
import dev.rootcause.support.SeverityRank;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Response times read from the store ({@link ResponseTimeRepository}) and recorded as they happen: the histogram
 * {@code rootcause_incident_response_seconds{milestone="first_report|acknowledge|resolve", severity}} gets one
 * observation per incident and milestone, when the milestone's first timeline entry ({@code diagnosed},
 * {@code acknowledged}, {@code resolved}) is written, measured from the incident's {@code started_at}
 * ({@code V20__response_times.sql}). Recording at the timeline write counts each milestone once however many
 * replicas run; an observation whose transaction then rolls back stays counted (rare: the write is the last step).
 */
@ApplicationScoped
public class JdbcResponseTimes implements ResponseTimeRepository {

    /** Bucket bounds of the histogram: from a fast page (30 s) to a day. */
    static final Duration[] BUCKETS = {Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
            Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(24)};

    private static final Map<String, Milestone> BY_TIMELINE_KIND = Map.of("diagnosed", Milestone.FIRST_REPORT,
            "acknowledged", Milestone.ACKNOWLEDGE, "resolved", Milestone.RESOLVE);

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    private final Database db;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    JdbcResponseTimes(Database db, ObjectMapper json, MeterRegistry meters) {
        this.db = db;
        this.json = json;
        this.meters = meters;
        for (Milestone m : Milestone.values()) {
            timer(m, "critical"); // the series exist from the start, so rules and dashboards find them at 0
        }
    }

    /**
     * Called before a timeline entry is written: when it is the incident's first of a milestone's kind, records the
     * time since the incident started.
     *
     * @throws StoreException when the store fails
     */
    void beforeTimeline(long incidentId, String kind, Instant at) {
        Milestone m = BY_TIMELINE_KIND.get(kind);
        if (m == null) {
            return;
        }
        String sql = "SELECT COALESCE(i.started_at, i.opened_at), i.severity, (SELECT COUNT(*) FROM timeline_entry t"
                + " WHERE t.incident_id = i.id AND t.kind = ?) FROM incident i WHERE i.id = ?";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, kind, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getLong(3) == 0) {
                    Instant started = Database.instant(rs.getObject(1, OffsetDateTime.class));
                    timer(m, rs.getString(2)).record(IncidentTimes.since(started, at));
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private Timer timer(Milestone m, String severity) {
        return Timer.builder("rootcause.incident.response")
                .description("time from an incident's earliest alert startsAt to its first report, acknowledgement, resolution")
                .tag("milestone", m.wire()).tag("severity", severityLabel(severity))
                .serviceLevelObjectives(BUCKETS).register(meters);
    }

    /** A known severity in lower case, {@code other} for another value, {@code unset} without one (bounded label values). */
    static String severityLabel(String severity) {
        int rank = SeverityRank.rank(severity);
        return rank > 0 ? severity.toLowerCase(Locale.ROOT) : rank == 0 ? "other" : "unset";
    }

    @Override
    public List<IncidentTimes> since(Instant since, int limit) {
        String sql = "SELECT i.id, i.common_labels, i.group_labels, i.root_cause_rule, i.severity, COALESCE(i.started_at, i.opened_at),"
                + " (SELECT MIN(r.created_at) FROM report r WHERE r.incident_id = i.id),"
                + " (SELECT MIN(t.at) FROM timeline_entry t WHERE t.incident_id = i.id AND t.kind = 'acknowledged'),"
                + " (SELECT MIN(t.at) FROM timeline_entry t WHERE t.incident_id = i.id AND t.kind = 'resolved'),"
                + " (SELECT COUNT(*) FROM timeline_entry t WHERE t.incident_id = i.id AND t.kind = 'reopened')"
                + " FROM incident i WHERE i.opened_at >= ? ORDER BY i.opened_at DESC, i.id DESC LIMIT ?";
        List<IncidentTimes> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, Database.utc(since), limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new IncidentTimes(rs.getLong(1), service(rs.getString(2), rs.getString(3)), rs.getString(4),
                            rs.getString(5), at(rs, 6), at(rs, 7), at(rs, 8), at(rs, 9), rs.getInt(10)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static Instant at(ResultSet rs, int column) throws SQLException {
        return Database.instant(rs.getObject(column, OffsetDateTime.class));
    }

    /** {@code service}, then {@code job}, of the common labels, then of the group labels; null when none names one. */
    private String service(String commonLabels, String groupLabels) {
        for (String labels : new String[] {commonLabels, groupLabels}) {
            Map<String, String> map = labels(labels);
            String s = map.getOrDefault("service", map.get("job"));
            if (s != null && !s.isBlank()) {
                return s;
            }
        }
        return null;
    }

    private Map<String, String> labels(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, STRING_MAP);
        } catch (JsonProcessingException e) {
            return Map.of(); // stored by us as JSON; unreadable only if edited by hand: no service then
        }
    }
}
