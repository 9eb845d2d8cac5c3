package dev.rootcause.diagnosis.step.traces;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.rule.Rule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code traces.slowest_dependency}: which downstream of a service took a larger part of its requests'
 * critical path during the alert than before. For each trace ({@link CriticalPath}) each service's self
 * time on the critical path; per window, a service's share is its summed self time over the summed
 * root durations. The downstream (any service but the one asked about) whose share grew most is named
 * when its growth is at least {@code min_growth} (share points, 0–1, default 0.10) and at least twice the
 * runner-up's, and the milliseconds it added per request are at least twice those any other downstream
 * added: when several downstreams slowed alike there is no single one to blame, and the step says so.
 *
 * <p>{@code with}: those of {@link TraceStep} plus {@code min_growth}. Values: {@code found} (a single
 * downstream is blamed), {@code dependency} (it, or the top grower when none is blamed, "" when there is
 * no downstream at all), {@code share_after}, {@code share_before} (0–1), {@code growth} (share points),
 * {@code self_ms_after}, {@code self_ms_before} (its mean self time per trace, milliseconds),
 * {@code runner_up}, {@code runner_up_growth}, {@code traces_after}, {@code traces_before},
 * {@code example_trace} (the trace of the alert window where it took longest), {@code summary};
 * {@code downstreams} (how many appear), {@code slowed} (how many of them added at least {@link #SLOWED_MS} ms
 * per request and {@link #SLOWED_FRACTION} of their own time), {@code scope} ({@code one} when a single
 * downstream is blamed, {@code several} when no single one is and two or more slowed together, else ""),
 * {@code scope_detail} (which, with their added milliseconds). Several downstreams slower at once, as the
 * caller's client spans see it, points at the caller itself (e.g. it is CPU-throttled): {@link Ranking} weighs that.
 */
public class TracesSlowestDependencyStep extends TraceStep {

    /** The winner's growth must be at least this many times the runner-up's to be a single blame. */
    static final double DOMINANCE = 2.0;
    /** A downstream counts as slowed when it added at least this many milliseconds per request ... */
    static final double SLOWED_MS = 1.0;
    /** ... and at least this fraction of its own time before. */
    static final double SLOWED_FRACTION = 0.25;

    /** For the rule-test command and tests. @param traces null when no backend is configured */
    public TracesSlowestDependencyStep(TraceSource traces) {
        super(traces);
    }


    @Override
    public String type() {
        return "traces.slowest_dependency";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("found", true);
        out.put("dependency", "");
        for (String d : List.of("share_after", "share_before", "growth", "self_ms_after", "self_ms_before", "runner_up_growth")) {
            out.put(d, 0.0);
        }
        out.put("runner_up", "");
        out.put("traces_after", 0L);
        out.put("traces_before", 0L);
        out.put("example_trace", "");
        out.put("summary", "");
        out.put("downstreams", 0L);
        out.put("slowed", 0L);
        out.put("scope", "");
        out.put("scope_detail", "");
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        checkCommon(with, Set.of("min_growth"));
        number(with, "min_growth", 0.10, 0.0, 1.0);
    }

    /** Per window: summed self time per service, summed trace durations, traces analysed. */
    record Shares(Map<String, Long> selfMicros, long totalMicros, int traces) {

        static Shares of(List<TraceSource.Trace> traces) {
            Map<String, Long> self = new HashMap<>();
            long total = 0;
            int n = 0;
            for (TraceSource.Trace t : traces) {
                CriticalPath.Result r = CriticalPath.of(t.spans());
                if (r == null || r.totalMicros() <= 0) {
                    continue;
                }
                r.selfMicros().forEach((s, us) -> self.merge(s, us, Long::sum));
                total += r.totalMicros();
                n++;
            }
            return new Shares(self, total, n);
        }

        double share(String service) {
            return totalMicros == 0 ? 0.0 : selfMicros.getOrDefault(service, 0L) / (double) totalMicros;
        }

        double meanSelfMillis(String service) {
            return traces == 0 ? 0.0 : selfMicros.getOrDefault(service, 0L) / 1000.0 / traces;
        }
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        Object fetched = fetch(step, alert, vars);
        if (fetched instanceof Evidence e) {
            return e;
        }
        Windows w = (Windows) fetched;
        int minTraces = StepParams.integer(step.with(), "min_traces", 5, 1, 1000);
        double minGrowth = number(step.with(), "min_growth", 0.10, 0.0, 1.0);
        Shares after = Shares.of(w.after());
        Shares before = Shares.of(w.before());
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("traces_after", (long) after.traces());
        values.put("traces_before", (long) before.traces());
        if (after.traces() < minTraces || before.traces() < minTraces) {
            return evidence(step, w, Evidence.Status.NO_DATA,
                    String.format(Locale.ROOT, "too few traces of %s to compare: %d in the alert window, %d in the baseline (min_traces %d)",
                            w.service(), after.traces(), before.traces(), minTraces), values, null);
        }
        Set<String> downstreams = new TreeSet<>(after.selfMicros().keySet());
        downstreams.addAll(before.selfMicros().keySet());
        downstreams.remove(w.service());
        List<String> ranked = new ArrayList<>(downstreams);
        ranked.sort(Comparator.comparingDouble((String s) -> after.share(s) - before.share(s)).reversed()
                .thenComparing(Comparator.naturalOrder()));
        if (ranked.isEmpty()) {
            values.put("found", false);
            values.put("dependency", "");
            values.put("summary", "no downstream of " + w.service() + " appears in its traces");
            return evidence(step, w, Evidence.Status.OK, null, values, null);
        }
        String top = ranked.get(0);
        double growth = after.share(top) - before.share(top);
        String second = ranked.size() > 1 ? ranked.get(1) : "";
        double secondGrowth = ranked.size() > 1 ? after.share(second) - before.share(second) : 0.0;
        // both the share and the time itself: with concurrent calls, two downstreams slowed alike can
        // shift the path's shares unevenly, but their added milliseconds stay alike
        double addedMs = after.meanSelfMillis(top) - before.meanSelfMillis(top);
        double maxOtherAddedMs = ranked.stream().skip(1).mapToDouble(s -> after.meanSelfMillis(s) - before.meanSelfMillis(s))
                .max().orElse(0.0);
        boolean found = growth >= minGrowth && (secondGrowth <= 0 || growth >= DOMINANCE * secondGrowth)
                && addedMs > 0 && (maxOtherAddedMs <= 0 || addedMs >= DOMINANCE * maxOtherAddedMs);
        String example = exampleTrace(w.after(), top);
        values.put("found", found);
        values.put("dependency", top);
        values.put("share_after", after.share(top));
        values.put("share_before", before.share(top));
        values.put("growth", growth);
        values.put("self_ms_after", after.meanSelfMillis(top));
        values.put("self_ms_before", before.meanSelfMillis(top));
        values.put("runner_up", second);
        values.put("runner_up_growth", secondGrowth);
        values.put("example_trace", example == null ? "" : example);
        scope(values, ranked, after, before, found);
        values.put("summary", found
                ? String.format(Locale.ROOT, "%s took %.0f%% of %s's critical path (%.1f ms per request) against %.0f%% (%.1f ms) before",
                        top, 100 * after.share(top), w.service(), after.meanSelfMillis(top), 100 * before.share(top),
                        before.meanSelfMillis(top))
                : "no single downstream to blame: " + growths(ranked, after, before, minGrowth));
        return evidence(step, w, Evidence.Status.OK, null, values, link(example));
    }

    /** {@code downstreams}, {@code slowed}, {@code scope} and {@code scope_detail}; see the class comment. */
    private static void scope(Map<String, Object> values, List<String> downstreams, Shares after, Shares before, boolean found) {
        List<String> slowed = new ArrayList<>();
        for (String s : new TreeSet<>(downstreams)) {
            double added = after.meanSelfMillis(s) - before.meanSelfMillis(s);
            if (added >= SLOWED_MS && added >= SLOWED_FRACTION * before.meanSelfMillis(s)) {
                slowed.add(String.format(Locale.ROOT, "%s (%+.1f ms)", s, added));
            }
        }
        values.put("downstreams", (long) downstreams.size());
        values.put("slowed", (long) slowed.size());
        boolean several = !found && slowed.size() >= 2;
        values.put("scope", found ? Finding.SCOPE_ONE : several ? Finding.SCOPE_SEVERAL : "");
        values.put("scope_detail", found ? "one downstream: " + downstreams.get(0)
                : several ? String.format(Locale.ROOT, "%s %d downstreams on the critical path slowed together: %s",
                        slowed.size() == downstreams.size() ? "all" : slowed.size() + " of", downstreams.size(), String.join(", ", slowed))
                : "");
    }

    private static String growths(List<String> ranked, Shares after, Shares before, double minGrowth) {
        StringBuilder out = new StringBuilder();
        for (String s : ranked.subList(0, Math.min(5, ranked.size()))) {
            out.append(out.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %+.1f pts (%.1f → %.1f ms)", s,
                    100 * (after.share(s) - before.share(s)), before.meanSelfMillis(s), after.meanSelfMillis(s)));
        }
        return out + String.format(Locale.ROOT, " (a single blame needs ≥ %+.1f pts and %.0f× the runner-up's growth and added ms)",
                100 * minGrowth, DOMINANCE);
    }

    /** The alert-window trace in which the service spent the most self time on the critical path. */
    private static String exampleTrace(List<TraceSource.Trace> traces, String service) {
        String best = null;
        long most = -1;
        for (TraceSource.Trace t : traces) {
            CriticalPath.Result r = CriticalPath.of(t.spans());
            long us = r == null ? -1 : r.selfMicros().getOrDefault(service, 0L);
            if (us > most) {
                most = us;
                best = t.traceId();
            }
        }
        return best;
    }
}
