package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.Diagnosis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Diagnoses on {@code /q/metrics}, counted where they run (the one {@link EngineDiagnoser}):
 * <ul>
 *   <li>{@code rootcause_diagnoses_total{trigger, outcome}}: trigger {@code alert} (an incident's) or
 *       {@code on_demand} ({@code /diagnose}); outcome {@code root_cause}, {@code no_root_cause} or {@code failed}
 *       (it threw, e.g. no rule set: the incident still gets a report saying so)</li>
 *   <li>{@code rootcause_diagnoses_partial_total{trigger}}: of them, those whose report is partial (a backend could
 *       not answer)</li>
 *   <li>{@code rootcause_diagnosis_duration_seconds{trigger}}: a histogram of their wall time, queueing for a
 *       backend slot included</li>
 * </ul>
 */
final class DiagnosisMeters {

    private static final Duration[] BUCKETS = {Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120)};
    private static final List<String> TRIGGERS = List.of("alert", "on_demand");
    private static final List<String> OUTCOMES = List.of("root_cause", "no_root_cause", "failed");

    private final MeterRegistry meters;

    DiagnosisMeters(MeterRegistry meters) {
        this.meters = meters;
        for (String trigger : TRIGGERS) { // every series from the start: rules and dashboards see 0, not nothing
            OUTCOMES.forEach(o -> count(trigger, o));
            partial(trigger);
            timer(trigger);
        }
    }

    /** Runs a diagnosis, counting and timing it; what it throws is counted as {@code failed} and rethrown. */
    Diagnosis measure(String trigger, Supplier<Diagnosis> diagnosis) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "failed";
        try {
            Diagnosis d = diagnosis.get();
            outcome = d.rootCause() != null ? "root_cause" : "no_root_cause";
            if (!d.partial().isEmpty()) {
                partial(trigger).increment();
            }
            return d;
        } finally {
            sample.stop(timer(trigger));
            count(trigger, outcome).increment();
        }
    }

    private Counter count(String trigger, String outcome) {
        return Counter.builder("rootcause.diagnoses").description("diagnoses run, by trigger and outcome")
                .tag("trigger", trigger).tag("outcome", outcome).register(meters);
    }

    private Counter partial(String trigger) {
        return Counter.builder("rootcause.diagnoses.partial").description("diagnoses whose report is partial (a backend could not answer)")
                .tag("trigger", trigger).register(meters);
    }

    private Timer timer(String trigger) {
        return Timer.builder("rootcause.diagnosis.duration").description("wall time of a diagnosis").tag("trigger", trigger)
                .serviceLevelObjectives(BUCKETS).register(meters);
    }
}
