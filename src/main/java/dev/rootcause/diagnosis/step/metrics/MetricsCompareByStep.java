package dev.rootcause.diagnosis.step.metrics;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.diagnosis.step.Stats;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.rule.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code metrics.compare_by}: many series, one per dependency, each before and after an instant; which one
 * rose, alone. {@code with}: {@code signal} (a per-dependency signal of {@code conventions.yaml}, e.g.
 * {@code http.client_error_ratio}; {@code service}, default {@code $service}) or {@code query} with {@code by}
 * (the label naming the dependency in its answer); {@code at}, {@code before}, {@code after} as
 * {@code metrics.compare}; {@code min_ratio} (after / before a series must reach to count as risen, default
 * 2), {@code min_after} (and the level after must pass, default 0: e.g. 0.01 for 1 % errors),
 * {@code dominance} (the risen series' rise, after − before, must be at least this many times every other
 * series' rise to be named alone, default 2).
 *
 * <p>A series counts as risen when it passes {@code min_ratio} and {@code min_after} and its rise exceeds
 * {@link MetricsCompareStep#NOISE_FACTOR} standard deviations of its before window. Values: {@code found}
 * (one series rose, alone), {@code top} (the dependency with the largest rise, empty when no series),
 * {@code top_before}, {@code top_after}, {@code top_ratio}, {@code top_delta}, {@code runner_up},
 * {@code runner_up_delta}, {@code rose} (how many series rose), {@code series}, {@code summary} (a sentence:
 * what rose, or why none is named), {@code convention}, {@code by}. A dependency without samples before
 * {@code at} counts as 0 before (it was not called, or never failed).
 */
public class MetricsCompareByStep implements StepRunner {

    private final MetricsSource metrics;
    private final ConventionResolver conventions;

    /** @param conventions resolves {@code signal:}; null refuses signals */
    public MetricsCompareByStep(MetricsSource metrics, ConventionResolver conventions) {
        this.metrics = metrics;
        this.conventions = conventions;
    }

    @Override
    public String type() {
        return "metrics.compare_by";
    }

    @Override
    public String kind() {
        return "metric";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("found", true);
        for (String s : List.of("top", "runner_up", "summary", "convention", "by")) {
            out.put(s, "");
        }
        for (String d : List.of("top_before", "top_after", "top_ratio", "top_delta", "runner_up_delta")) {
            out.put(d, 0.0);
        }
        out.put("rose", 0L);
        out.put("series", 0L);
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        StepParams.keys(with, Set.of("query", "signal", "service", "by", "at", "before", "after", "min_ratio", "min_after",
                "dominance"), Set.of());
        SignalQuery.check(with, conventions, true);
        if (with.containsKey("query") && !(with.get("by") instanceof String b && b.matches("[a-zA-Z_][a-zA-Z0-9_]*"))) {
            throw new IllegalArgumentException("by: required with query:, the label that names the dependency");
        }
        if (with.containsKey("signal") && with.containsKey("by")) {
            throw new IllegalArgumentException("by: only with query: (a signal's label comes from conventions.yaml)");
        }
        StepParams.at(with);
        StepParams.duration(with, "before");
        StepParams.duration(with, "after");
        number(with, "min_ratio", 1.0, 1000.0);
        number(with, "min_after", 0.0, Double.MAX_VALUE);
        number(with, "dominance", 1.0, 1000.0);
    }

    private static void number(Map<String, Object> with, String key, double min, double max) {
        Object v = with.get(key);
        if (v != null && (!(v instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max)) {
            throw new IllegalArgumentException(key + ": expected a number from " + min + " to " + max + ", got " + v);
        }
    }

    private static double param(Rule.Step step, String key, double fallback) {
        return step.with().get(key) instanceof Number n ? n.doubleValue() : fallback;
    }

    /** One dependency's series summarised. */
    private record Row(String name, double before, double after, double noise) {
        double delta() {
            return after - before;
        }

        double ratio() {
            return Stats.ratio(before, after);
        }
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        Instant at;
        try {
            at = StepParams.at(step.with(), alert, previous, "alert.startsAt");
        } catch (RuntimeException e) {
            return StepParams.atFailed(step, this, metrics.name(), e);
        }
        Instant start = at.minus(StepParams.duration(step, "before", "1h"));
        Duration after = StepParams.duration(step, "after", "30m");
        Instant end = alert.onDemand() || !at.plus(after).isBefore(alert.now()) ? alert.now() : at.plus(after);
        if (end.isBefore(at)) {
            end = at;
        }
        Duration resolution = Duration.ofMillis(Math.max(1000, Duration.between(start, end).toMillis() / 1000));
        String query = null;
        try {
            Object by = step.with().get("by");
            SignalQuery q = SignalQuery.of(step, metrics, conventions, vars, alert.now(), by == null ? null : String.valueOf(by));
            query = q.text();
            MetricsSource.Result result = metrics.range(query, start, end, resolution);
            String link = metrics.link(query, start, end);
            List<Evidence.Recorded> recorded = new ArrayList<>(q.recorded());
            recorded.add(MetricRecordings.of(query, result));
            List<Row> rows = rows(result, q.by(), at);
            Map<String, Object> values = values(step, rows, q);
            if (rows.isEmpty()) {
                return new Evidence(step.id(), type(), kind(), metrics.name(), query, start, end, Evidence.Status.NO_DATA,
                        "no series with samples after " + at + " (label " + q.by() + ")", values, link, recorded);
            }
            return new Evidence(step.id(), type(), kind(), metrics.name(), query, start, end, Evidence.Status.OK, null, values, link,
                    recorded);
        } catch (MetricsSourceException e) {
            return new Evidence(step.id(), type(), kind(), metrics.name(), query, start, end, e.status(), e.getMessage(), Map.of(), null)
                    .withRecorded(MetricRecordings.of(e));
        }
    }

    /** Series with samples after {@code at}, largest rise first; a series without its label is named "(none)". */
    private static List<Row> rows(MetricsSource.Result result, String by, Instant at) {
        List<Row> rows = new ArrayList<>();
        for (MetricsSource.Series s : result.series()) {
            List<Double> b = new ArrayList<>();
            List<Double> a = new ArrayList<>();
            for (int i = 0; i < s.times().size(); i++) {
                double v = s.values()[i];
                if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                    (s.times().get(i).isBefore(at) ? b : a).add(v);
                }
            }
            if (a.isEmpty()) {
                continue;
            }
            String name = s.labels().getOrDefault(by, "(none)");
            rows.add(new Row(name, b.isEmpty() ? 0.0 : Stats.mean(b), Stats.mean(a),
                    b.isEmpty() ? 0.0 : Stats.stddev(b)));
        }
        rows.sort(Comparator.comparingDouble(Row::delta).reversed().thenComparing(Row::name));
        return rows;
    }

    private static Map<String, Object> values(Rule.Step step, List<Row> rows, SignalQuery q) {
        double minRatio = param(step, "min_ratio", 2.0);
        double minAfter = param(step, "min_after", 0.0);
        double dominance = param(step, "dominance", 2.0);
        List<Row> rose = rows.stream().filter(r -> r.ratio() >= minRatio && r.after() > minAfter
                && r.delta() > MetricsCompareStep.NOISE_FACTOR * r.noise()).toList();
        Row top = rows.isEmpty() ? null : rows.get(0);
        Row runnerUp = rows.size() > 1 ? rows.get(1) : null;
        boolean topRose = top != null && rose.contains(top);
        boolean alone = topRose && (runnerUp == null || runnerUp.delta() <= 0 || top.delta() >= dominance * runnerUp.delta());
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("found", alone);
        values.put("top", top == null ? "" : top.name());
        values.put("top_before", top == null ? Double.NaN : top.before());
        values.put("top_after", top == null ? Double.NaN : top.after());
        values.put("top_ratio", top == null ? Double.NaN : top.ratio());
        values.put("top_delta", top == null ? Double.NaN : top.delta());
        values.put("runner_up", runnerUp == null ? "" : runnerUp.name());
        values.put("runner_up_delta", runnerUp == null ? Double.NaN : runnerUp.delta());
        values.put("rose", rose.size());
        values.put("series", rows.size());
        values.put("summary", summary(rows, rose, alone, dominance));
        values.put("convention", q.convention());
        values.put("by", q.by() == null ? "" : q.by());
        return values;
    }

    private static String summary(List<Row> rows, List<Row> rose, boolean alone, double dominance) {
        if (rows.isEmpty()) {
            return "no dependency had samples";
        }
        if (alone) {
            Row t = rows.get(0);
            return t.name() + " rose from " + num(t.before()) + " to " + num(t.after()) + (rows.size() > 1
                    ? "; the next, " + rows.get(1).name() + ", moved " + signed(rows.get(1).delta()) : "; the only dependency seen");
        }
        if (rose.isEmpty()) {
            return "none of " + rows.size() + " dependencies rose past the thresholds (largest rise: " + rows.get(0).name() + " "
                    + num(rows.get(0).before()) + " → " + num(rows.get(0).after()) + ")";
        }
        List<String> names = rows.stream().filter(r -> r.delta() > 0 && rows.get(0).delta() < dominance * r.delta()).map(Row::name).toList();
        return "no single dependency: " + String.join(", ", names) + " rose together (within " + num(dominance) + "× of each other)";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String signed(double v) {
        return (v >= 0 ? "+" : "") + num(v);
    }
}
