package dev.rootcause.incident.stats;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Response times over a period ending now, for {@code GET /api/v1/stats} and Discord's {@code /stats}: reads at
 * most {@link #MAX_INCIDENTS} incidents (the most recent) so the answer stays bounded whatever the period.
 */
@ApplicationScoped
public class ResponseTimeStats {

    /** Incidents read per answer; more in the period sets {@code truncated}. */
    public static final int MAX_INCIDENTS = 10_000;

    private final ResponseTimeRepository store;
    private final Clock clock;

    ResponseTimeStats(ResponseTimeRepository store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param period how far back, positive (e.g. 30 days)
     * @throws IllegalArgumentException when the period is not positive
     * @throws dev.rootcause.incident.StoreException when the store fails
     */
    public ResponseTimes.Summary over(Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("the period must be positive, got " + period);
        }
        Instant now = clock.instant();
        Instant since = period.compareTo(Duration.between(Instant.EPOCH, now)) >= 0 ? Instant.EPOCH : now.minus(period);
        List<IncidentTimes> read = store.since(since, MAX_INCIDENTS + 1);
        boolean truncated = read.size() > MAX_INCIDENTS;
        return ResponseTimes.of(since, truncated ? read.subList(0, MAX_INCIDENTS) : read, truncated);
    }
}
