package dev.rootcause.diagnosis.budget;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Backend queries on {@code /q/metrics}: {@code rootcause_backend_queries_total{source, outcome}} (outcome as
 * {@link QueryObserver#query}) and {@code rootcause_backend_query_duration_seconds{source}} (a histogram of the
 * queries sent). The error ratio of a source is {@code outcome="error"|"timeout"} over all sent.
 */
public final class BackendMeters implements QueryObserver {

    private static final Duration[] BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30)};

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public BackendMeters(MeterRegistry meters) {
        this.meters = meters;
        // Prometheus is always configured: its series exist from the start, so rules and dashboards see 0, not nothing
        for (String outcome : List.of("ok", "error", "timeout", "skipped")) {
            counter("prometheus", outcome);
        }
        timer("prometheus");
    }

    @Override
    public void query(String backend, String outcome, long nanos) {
        counter(backend, outcome).increment();
        if (!"skipped".equals(outcome)) {
            timer(backend).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private Counter counter(String backend, String outcome) {
        return counters.computeIfAbsent(backend + '/' + outcome, k -> Counter.builder("rootcause.backend.queries")
                .description("backend queries asked by diagnoses, by outcome").tag("source", backend).tag("outcome", outcome)
                .register(meters));
    }

    private Timer timer(String backend) {
        return timers.computeIfAbsent(backend, b -> Timer.builder("rootcause.backend.query.duration")
                .description("time of the backend queries sent by diagnoses, retries included").tag("source", b)
                .serviceLevelObjectives(BUCKETS).register(meters));
    }
}
