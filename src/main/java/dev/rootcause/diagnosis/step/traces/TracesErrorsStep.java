package dev.rootcause.diagnosis.step.traces;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.rule.Rule;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code traces.errors}: how many of a service's traces failed in the alert window against the baseline,
 * and where the errors start. The origin of a failed trace is each failed span with no failed span under
 * it (the deepest failure; callers usually fail because of it); a failed client call with no server span
 * under it is blamed on the service it called. Each trace counts once per origin service.
 *
 * <p>{@code with}: those of {@link TraceStep}. Values: {@code traces_after}, {@code traces_before},
 * {@code error_traces_after}, {@code error_traces_before}, {@code error_ratio_after},
 * {@code error_ratio_before} (0–1), {@code top_service} (the origin of most failed traces of the alert
 * window, "" when none failed), {@code top_service_traces}, {@code top_operation}, {@code top_message}
 * (its first error text, "" when the backend has none), {@code example_trace}.
 */
public class TracesErrorsStep extends TraceStep {

    /** For the rule-test command and tests. @param traces null when no backend is configured */
    public TracesErrorsStep(TraceSource traces) {
        super(traces);
    }


    @Override
    public String type() {
        return "traces.errors";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : List.of("traces_after", "traces_before", "error_traces_after", "error_traces_before", "top_service_traces")) {
            out.put(n, 0L);
        }
        out.put("error_ratio_after", 0.0);
        out.put("error_ratio_before", 0.0);
        for (String s : List.of("top_service", "top_operation", "top_message", "example_trace")) {
            out.put(s, "");
        }
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        checkCommon(with, Set.of());
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        Object fetched = fetch(step, alert, vars);
        if (fetched instanceof Evidence e) {
            return e;
        }
        Windows w = (Windows) fetched;
        int minTraces = StepParams.integer(step.with(), "min_traces", 5, 1, 1000);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("traces_after", (long) w.after().size());
        values.put("traces_before", (long) w.before().size());
        long failedAfter = w.after().stream().filter(t -> t.spans().stream().anyMatch(TraceSource.Span::error)).count();
        long failedBefore = w.before().stream().filter(t -> t.spans().stream().anyMatch(TraceSource.Span::error)).count();
        values.put("error_traces_after", failedAfter);
        values.put("error_traces_before", failedBefore);
        values.put("error_ratio_after", w.after().isEmpty() ? 0.0 : failedAfter / (double) w.after().size());
        values.put("error_ratio_before", w.before().isEmpty() ? 0.0 : failedBefore / (double) w.before().size());
        if (w.after().size() < minTraces) {
            return evidence(step, w, Evidence.Status.NO_DATA,
                    String.format(Locale.ROOT, "%d traces of %s in the alert window (min_traces %d)", w.after().size(),
                            w.service(), minTraces), values, null);
        }
        Map<String, Integer> byService = new HashMap<>();
        Map<String, TraceSource.Span> firstOrigin = new HashMap<>();
        Map<String, String> exampleOf = new HashMap<>();
        for (TraceSource.Trace t : w.after()) {
            Set<String> counted = new HashSet<>();
            for (TraceSource.Span origin : origins(t.spans())) {
                String service = CriticalPath.blamed(origin, hasChildren(origin, t.spans()));
                if (counted.add(service)) {
                    byService.merge(service, 1, Integer::sum);
                    firstOrigin.putIfAbsent(service, origin);
                    exampleOf.putIfAbsent(service, t.traceId());
                }
            }
        }
        String top = "";
        for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(byService).entrySet()) {
            if (top.isEmpty() || e.getValue() > byService.get(top)) {
                top = e.getKey(); // most traces; ties go to the first name, so the answer is stable
            }
        }
        TraceSource.Span origin = firstOrigin.get(top);
        values.put("top_service", top);
        values.put("top_service_traces", (long) byService.getOrDefault(top, 0));
        values.put("top_operation", origin == null ? "" : origin.operation());
        values.put("top_message", origin == null || origin.errorMessage() == null ? "" : origin.errorMessage());
        String example = exampleOf.get(top);
        values.put("example_trace", example == null ? "" : example);
        return evidence(step, w, Evidence.Status.OK, null, values, link(example));
    }

    /** Failed spans with no failed span under them. */
    static List<TraceSource.Span> origins(List<TraceSource.Span> spans) {
        Set<String> failedParents = new HashSet<>();
        Set<String> failedServerIds = new HashSet<>();
        for (TraceSource.Span s : spans) {
            if (s.error()) {
                if (s.parentId() != null) {
                    failedParents.add(s.parentId());
                }
                if ("SERVER".equals(s.kind())) {
                    failedServerIds.add(s.spanId());
                }
            }
        }
        return spans.stream().filter(TraceSource.Span::error).filter(s -> !failedParents.contains(s.spanId())
                && !(s.outgoing() && failedServerIds.contains(s.spanId()))).toList();
    }

    private static boolean hasChildren(TraceSource.Span span, List<TraceSource.Span> spans) {
        return spans.stream().anyMatch(s -> span.spanId().equals(s.parentId()) && s != span
                || s != span && "SERVER".equals(s.kind()) && span.spanId().equals(s.spanId()));
    }
}
