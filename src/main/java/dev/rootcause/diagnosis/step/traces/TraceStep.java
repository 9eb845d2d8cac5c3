package dev.rootcause.diagnosis.step.traces;

import static dev.rootcause.diagnosis.step.StepParams.integer;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@code traces.*} steps share: their parameters, the two windows and fetching them.
 *
 * <p>{@code with}: {@code service} (required; {@code $name} placeholders are filled from the rule's vars),
 * {@code before} (baseline window before the alert start, default {@code 1h}), {@code after} (alert window
 * from the alert start, default {@code 30m}, ending at the time of the diagnosis at the latest; on demand
 * the whole window asked for), {@code limit} (traces fetched per window, 1–1000, default 100: a backend
 * answers more slowly the more it must assemble) and {@code min_traces} (fewer in either window is
 * {@code no_data}, default 5).
 */
public abstract class TraceStep implements StepRunner {

    static final Set<String> COMMON = Set.of("service", "before", "after", "limit", "min_traces");
    private static final Pattern VAR = Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)");

    private final TraceSource traces;

    /** @param traces the configured backend, or null when none is: every step then ends {@code skipped}, saying so */
    TraceStep(TraceSource traces) {
        this.traces = traces;
    }

    @Override
    public String kind() {
        return "trace";
    }

    void checkCommon(Map<String, Object> with, Set<String> extra) {
        java.util.Set<String> allowed = new java.util.HashSet<>(COMMON);
        allowed.addAll(extra);
        StepParams.keys(with, allowed, Set.of("service"));
        StepParams.duration(with, "before");
        StepParams.duration(with, "after");
        integer(with, "limit", 100, 1, 1000);
        integer(with, "min_traces", 5, 1, 1000);
    }


    /** A number parameter within bounds. @throws IllegalArgumentException naming the key */
    static double number(Map<String, Object> with, String key, double fallback, double min, double max) {
        Object v = with.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
            if (!(d >= min && d <= max)) {
                throw new IllegalArgumentException(key + ": must be between " + min + " and " + max + ", got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a number, got " + v);
        }
    }

    /** The traces of both windows, or the evidence saying why there are none. */
    record Windows(String service, Instant beforeStart, Instant at, Instant end, List<TraceSource.Trace> before,
            List<TraceSource.Trace> after, String query, List<Evidence.Recorded> recorded) {
    }

    /** @return the fetched windows, or evidence (error, timeout, no_data) to return as it is */
    Object fetch(Rule.Step step, AlertContext alert, Map<String, String> vars) {
        Instant at = alert.startsAt();
        Duration before = StepParams.duration(step, "before", "1h");
        Duration after = StepParams.duration(step, "after", "30m");
        Instant end = alert.onDemand() || !at.plus(after).isBefore(alert.now()) ? alert.now() : at.plus(after);
        if (end.isBefore(at)) {
            end = at;
        }
        Instant beforeStart = at.minus(before);
        String source = traces == null ? "traces" : traces.name();
        String service;
        try {
            service = fill(String.valueOf(step.with().get("service")), vars);
        } catch (IllegalArgumentException e) {
            return evidence(step, source, null, beforeStart, end, Evidence.Status.ERROR, e.getMessage(), Map.of(), null);
        }
        if (traces == null) {
            // not a backend that failed (the report is not partial for it), but said in the evidence
            return evidence(step, source, null, beforeStart, end, Evidence.Status.SKIPPED,
                    "no trace backend configured (rootcause.sources.traces.kind: zipkin, jaeger, tempo or skywalking)", Map.of(), null);
        }
        int limit = integer(step.with(), "limit", 100, 1, 1000);
        String query = traces.describe(service, at, end, limit) + " ; baseline: " + traces.describe(service, beforeStart, at, limit);
        try {
            List<TraceSource.Trace> afterTraces = traces.traces(service, at, end, limit);
            List<TraceSource.Trace> beforeTraces = traces.traces(service, beforeStart, at, limit);
            return new Windows(service, beforeStart, at, end, beforeTraces, afterTraces, query,
                    List.of(recorded(query, service, at, end, afterTraces), recorded(query, service, beforeStart, at, beforeTraces)));
        } catch (SourceException e) {
            return evidence(step, source, query, beforeStart, end, e.status(), e.getMessage(), Map.of(), null);
        }
    }

    Evidence evidence(Rule.Step step, String source, String query, Instant start, Instant end, Evidence.Status status,
            String reason, Map<String, Object> values, String link) {
        return new Evidence(step.id(), type(), kind(), source, query, start, end, status, reason, values, link);
    }

    /** Evidence from fetched windows, their answers recorded on it. */
    Evidence evidence(Rule.Step step, Windows w, Evidence.Status status, String reason, Map<String, Object> values, String link) {
        return evidence(step, sourceName(), w.query(), w.beforeStart(), w.end(), status, reason, values, link).withRecorded(w.recorded());
    }

    /**
     * One answer as recorded (kind {@code trace}): one entry {@code {"service", "start", "end" (RFC 3339),
     * "traces": [{"traceId", "spans": [{spanId, parentId, service, operation, kind, peerService, startMicros,
     * durationMicros, error, errorMessage}]}]}}.
     */
    static Evidence.Recorded recorded(String query, String service, Instant start, Instant end, List<TraceSource.Trace> answer) {
        List<Map<String, Object>> traces = new java.util.ArrayList<>();
        for (TraceSource.Trace t : answer) {
            List<Map<String, Object>> spans = new java.util.ArrayList<>();
            for (TraceSource.Span s : t.spans()) {
                Map<String, Object> span = new java.util.LinkedHashMap<>();
                span.put("spanId", s.spanId());
                span.put("parentId", s.parentId());
                span.put("service", s.service());
                span.put("operation", s.operation());
                span.put("kind", s.kind());
                span.put("peerService", s.peerService());
                span.put("startMicros", s.startMicros());
                span.put("durationMicros", s.durationMicros());
                span.put("error", s.error());
                span.put("errorMessage", s.errorMessage());
                spans.add(span);
            }
            Map<String, Object> trace = new java.util.LinkedHashMap<>();
            trace.put("traceId", t.traceId());
            trace.put("spans", spans);
            traces.add(trace);
        }
        return new Evidence.Recorded(query, List.of(Map.of("service", service, "start", start.toString(), "end", end.toString(),
                "traces", traces)), "trace");
    }

    String link(String traceId) {
        return traceId == null || traces == null ? null : traces.traceLink(traceId);
    }

    String sourceName() {
        return traces == null ? "traces" : traces.name();
    }

    /** Fills {@code $name} from vars; the adapter encodes the result for its wire format. */
    static String fill(String template, Map<String, String> vars) {
        Matcher m = VAR.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("service uses $" + m.group(1) + ", which has no value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        if (out.toString().isBlank()) {
            throw new IllegalArgumentException("service: empty after filling placeholders");
        }
        return out.toString();
    }
}
