package dev.rootcause.chat.discord;

import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Service names for {@code /diagnose}'s autocompletion, which Discord wants within 3 s: answered from
 * memory only, never waiting on the metrics backend. A lookup older than {@link #MAX_AGE} starts a refresh
 * in the background; the first lookups after start may see an empty list.
 */
@ApplicationScoped
class ServiceNameCache {

    private static final Logger LOG = Logger.getLogger(ServiceNameCache.class);
    static final Duration MAX_AGE = Duration.ofMinutes(1);
    /** Discord shows at most 25 autocompletion choices. */
    static final int MAX_CHOICES = 25;

    private final MetricsSource source;
    private final Clock clock;
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rootcause-service-names");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile List<String> names = List.of();
    private volatile Instant fetchedAt = Instant.EPOCH;

    ServiceNameCache(MetricsSource source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /** Up to 25 known names containing the typed text (case-insensitive), names starting with it first. */
    List<String> complete(String typed) {
        if (Duration.between(fetchedAt, clock.instant()).compareTo(MAX_AGE) > 0) {
            refresh();
        }
        String t = typed == null ? "" : typed.toLowerCase(Locale.ROOT);
        return names.stream().filter(n -> n.toLowerCase(Locale.ROOT).contains(t))
                .sorted((a, b) -> Boolean.compare(!a.toLowerCase(Locale.ROOT).startsWith(t), !b.toLowerCase(Locale.ROOT).startsWith(t)))
                .limit(MAX_CHOICES).toList();
    }

    /** Starts a background refresh unless one is running; returns at once. */
    void refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        refresher.execute(() -> {
            try {
                // Discord's choice names and values hold at most 100 characters
                // (through the metrics source: its token, retries and circuit breaker apply)
                names = source.labelValues("service", List.of(), null, null).stream()
                        .filter(n -> !n.isEmpty() && n.length() <= 100).sorted().toList();
                fetchedAt = clock.instant();
            } catch (MetricsSourceException | RuntimeException e) {
                LOG.warnf("service names for autocompletion unavailable: %s", e.getMessage());
                fetchedAt = clock.instant(); // do not hammer a backend that is down: next try after MAX_AGE
            } finally {
                refreshing.set(false);
            }
        });
    }
}
