package dev.rootcause.diagnosis.step.logs;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Rule;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * A count as recorded (kind {@code log}): one entry {@code {"start", "end" (RFC 3339), "count",
     * "lowerBound", "notes"}}.
     */
    static Evidence.Recorded recorded(String query, Instant start, Instant end, LogSource.Count count) {
        Map<String, Object> entry = window(start, end);
        entry.put("count", count.lines());
        entry.put("lowerBound", count.lowerBound());
        entry.put("notes", count.notes());
        return new Evidence.Recorded(query, List.of(entry), "log");
    }

    /**
     * Lines as recorded (kind {@code log}): one entry {@code {"start", "end", "lines": [{"time" (RFC 3339),
     * "labels", "text"}], "truncated", "notes"}}, lines in the order the backend gave them.
     */
    static Evidence.Recorded recorded(String query, Instant start, Instant end, LogSource.Lines lines) {
        Map<String, Object> entry = window(start, end);
        entry.put("lines", lines.lines().stream().map(l -> Map.of("time", l.time().toString(), "labels", l.labels(), "text", l.text()))
                .toList());
        entry.put("truncated", lines.truncated());
        entry.put("notes", lines.notes());
        return new Evidence.Recorded(query, List.of(entry), "log");
    }

    private static Map<String, Object> window(Instant start, Instant end) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("start", start.toString());
        entry.put("end", end.toString());
        return entry;
    }
}
