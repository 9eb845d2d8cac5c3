package dev.rootcause.store;

import dev.rootcause.incident.outbox.EffectKind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Backlogs read from the store, on {@code /q/metrics}:
 * <ul>
 *   <li>{@code rootcause_outbox_effects{kind, status="pending"|"dead"}}: chat and ticket effects waiting to be
 *       carried out, and given up on ({@code GET /api/v1/outbox?status=dead}, retried by hand)</li>
 *   <li>{@code rootcause_deliveries{status="pending"|"failed"}}: stored webhook bodies not yet applied, and
 *       parked after their last attempt</li>
 *   <li>{@code rootcause_incidents_open{status="open"|"acknowledged"|"reopened"}}: incidents not resolved</li>
 * </ul>
 * Counted on scrape with three grouped {@code COUNT(*)} queries (indexed on status), at most once per
 * {@link #MAX_AGE}: several scrapers or replicas do not multiply the load. The counts are the store's, so every
 * replica shows the same figures: aggregate with {@code max}, not {@code sum}. When the store cannot answer the
 * last figures stay and the failure is logged.
 */
@ApplicationScoped
public class StoreGauges {

    private static final Logger LOG = Logger.getLogger(StoreGauges.class);

    /** How old the figures may be; a scrape interval is typically 15–60 s. */
    static final Duration MAX_AGE = Duration.ofSeconds(10);

    private final Database db;
    private final Clock clock;
    private Map<String, Long> counts = Map.of();
    private Instant readAt = Instant.MIN;

    StoreGauges(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    void register(@Observes StartupEvent start, MeterRegistry meters) {
        for (EffectKind kind : EffectKind.values()) {
            for (String status : List.of("pending", "dead")) {
                gauge(meters, "rootcause.outbox.effects", "outbox effects by kind and status", "outbox/" + kind.wire() + "/" + status)
                        .tag("kind", kind.wire()).tag("status", status).register(meters);
            }
        }
        for (String status : List.of("pending", "failed")) {
            gauge(meters, "rootcause.deliveries", "stored webhook bodies not applied, by status", "delivery/" + status)
                    .tag("status", status).register(meters);
        }
        for (String status : List.of("open", "acknowledged", "reopened")) {
            gauge(meters, "rootcause.incidents.open", "incidents not resolved, by status", "incident/" + status)
                    .tag("status", status).register(meters);
        }
    }

    private Gauge.Builder<StoreGauges> gauge(MeterRegistry meters, String name, String description, String key) {
        return Gauge.builder(name, this, g -> g.count(key)).description(description);
    }

    /** The count under {@code table/…/status}, read again when older than {@link #MAX_AGE}. */
    synchronized double count(String key) {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(MAX_AGE) >= 0) {
            try {
                counts = read();
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("store gauges not refreshed (the last figures stay): %s", e.getMessage());
            }
            readAt = now; // a failing store is asked again after MAX_AGE, not on every gauge of the scrape
        }
        return counts.getOrDefault(key, 0L);
    }

    private Map<String, Long> read() throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = db.connection()) {
            group(c, "SELECT kind, status, COUNT(*) FROM outbox WHERE status IN ('pending', 'dead') GROUP BY kind, status", "outbox", out);
            group(c, "SELECT '', status, COUNT(*) FROM delivery WHERE status IN ('pending', 'failed') GROUP BY status", "delivery", out);
            group(c, "SELECT '', status, COUNT(*) FROM incident WHERE status <> 'resolved' GROUP BY status", "incident", out);
        }
        return out;
    }

    private static void group(Connection c, String sql, String table, Map<String, Long> out) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String kind = rs.getString(1);
                out.put(table + "/" + (kind.isEmpty() ? "" : kind + "/") + rs.getString(2), rs.getLong(3));
            }
        }
    }
}
