package dev.rootcause.store;

import dev.rootcause.incident.Feedback;
import dev.rootcause.incident.FeedbackRepository;
import dev.rootcause.incident.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Verdicts on root causes: the incident's {@code feedback_*} and {@code root_cause_rule} columns (V15). */
@ApplicationScoped
public class JdbcFeedbackRepository implements FeedbackRepository {

    private final Database db;

    JdbcFeedbackRepository(Database db) {
        this.db = db;
    }

    @Override
    public void save(long incidentId, Feedback f) {
        try {
            db.update("UPDATE incident SET feedback_verdict = ?, feedback_actual = ?, feedback_rule = ?, feedback_cause = ?,"
                    + " feedback_by = ?, feedback_at = ? WHERE id = ?", f.verdict().wire(), f.actual(), f.rule(), f.cause(),
                    f.by(), Database.utc(f.at()), incidentId);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public Optional<Feedback> find(long incidentId) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT feedback_verdict, feedback_actual, feedback_rule, feedback_cause,"
                        + " feedback_by, feedback_at FROM incident WHERE id = ? AND feedback_verdict IS NOT NULL")) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Feedback(Feedback.Verdict.of(rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), Database.instant(rs.getObject(6, OffsetDateTime.class))));
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public Map<Long, Feedback.Verdict> verdicts(Collection<Long> incidentIds) {
        List<Long> ids = List.copyOf(incidentIds);
        Map<Long, Feedback.Verdict> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<Long> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            String marks = String.join(", ", java.util.Collections.nCopies(batch.size(), "?"));
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT id, feedback_verdict FROM incident"
                    + " WHERE feedback_verdict IS NOT NULL AND id IN (" + marks + ")")) {
                Database.bind(ps, batch.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), Feedback.Verdict.of(rs.getString(2)));
                    }
                }
            } catch (SQLException e) {
                throw new StoreException(e);
            }
        }
        return out;
    }

    @Override
    public Optional<String> rootCauseRule(long incidentId) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT root_cause_rule FROM incident WHERE id = ?")) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public List<Feedback.RuleCounts> countsPerRule() {
        String sql = "SELECT rule, SUM(rt), SUM(wr), SUM(nj) FROM ("
                + " SELECT feedback_rule AS rule, CASE WHEN feedback_verdict = 'right' THEN 1 ELSE 0 END AS rt,"
                + " CASE WHEN feedback_verdict = 'wrong' THEN 1 ELSE 0 END AS wr, 0 AS nj"
                + " FROM incident WHERE feedback_verdict IS NOT NULL"
                + " UNION ALL SELECT root_cause_rule AS rule, 0 AS rt, 0 AS wr, 1 AS nj"
                + " FROM incident WHERE feedback_verdict IS NULL AND root_cause_rule IS NOT NULL"
                + ") t GROUP BY rule ORDER BY rule";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<Feedback.RuleCounts> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Feedback.RuleCounts(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
            out.sort(java.util.Comparator.comparing(Feedback.RuleCounts::rule, java.util.Comparator.nullsLast(String::compareTo)));
            return out;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }
}
