package dev.rootcause.diagnosis.step.logs;

import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Rule;
import java.time.Instant;
import java.util.Map;

/** What the {@code logs.*} steps share: the backend (or none), the alert window, the evidence when none is configured. */
abstract class LogStep implements StepRunner {

    static final String NOT_CONFIGURED = "no log backend configured (rootcause.sources.logs.kind: loki or elasticsearch)";

    final LogSource logs;

    /** @param logs the configured backend, or null when none is: the step then ends {@code skipped}, saying so */
    LogStep(LogSource logs) {
        this.logs = logs;
    }

    @Override
    public String kind() {
        return "log";
    }

    /** The end of the alert window: {@code after} (default 30m) past the alert start, or now (on demand, or earlier). */
    static Instant windowEnd(Rule.Step step, AlertContext alert) {
        Instant at = alert.startsAt();
        Instant limit = at.plus(StepParams.duration(step, "after", "30m"));
        Instant end = alert.onDemand() || !limit.isBefore(alert.now()) ? alert.now() : limit;
        return end.isBefore(at) ? at : end;
    }

    /** Not a backend that failed (the report is not partial for it), but said in the evidence. */
    Evidence notConfigured(Rule.Step step, Instant start, Instant end) {
        return new Evidence(step.id(), type(), kind(), "logs", null, start, end, Evidence.Status.SKIPPED, NOT_CONFIGURED,
                Map.of(), null);
    }

    Evidence failed(Rule.Step step, String query, Instant start, Instant end, SourceException e) {
        return new Evidence(step.id(), type(), kind(), logs.name(), query, start, end, e.status(), e.getMessage(), Map.of(), null);
    }
}
