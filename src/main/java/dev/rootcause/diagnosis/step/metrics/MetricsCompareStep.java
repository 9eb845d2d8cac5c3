package dev.rootcause.diagnosis.step.metrics;

import static dev.rootcause.diagnosis.step.Stats.mean;
import static dev.rootcause.diagnosis.step.Stats.p95;
import static dev.rootcause.diagnosis.step.Stats.ratio;
import static dev.rootcause.diagnosis.step.Stats.stddev;
import static dev.rootcause.diagnosis.step.StepParams.duration;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.rule.Durations;
import dev.rootcause.rule.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code metrics.compare}: one series before and after an instant. {@code with}: {@code query} (PromQL
 * template, one series expected) or {@code signal} (a name from {@code conventions.yaml}, e.g.
 * {@code http.error_ratio}, turned into the PromQL of the service's metric convention; {@code service}, default
 * {@code $service}, says whose), {@code at} ({@code alert.startsAt}, the default, {@code now}, or
 * {@code steps.<id>.time}: the time another step found, e.g. a deploy; that step must be in {@code needs}),
 * {@code before} (window before {@code at}, default {@code 1h}), {@code after} (longest window after
 * {@code at}, default {@code 30m}; it ends at the time of the diagnosis at the latest; on demand it runs
 * from the start of the window asked for to now).
 *
 * <p>Values: {@code before}, {@code after} (means, NaN samples left out), {@code before_p95},
 * {@code after_p95}, {@code ratio} (after / before; +Inf when before is 0 and after is not),
 * {@code delta} (after − before), {@code last} (latest sample), {@code before_points}, {@code after_points},
 * {@code step_seconds}, {@code series}; {@code noise} (standard deviation of the before window, the series'
 * own noise), {@code noise_ratio} (|delta| / noise; +Inf when the before window is flat and the means
 * differ), {@code exceeds_noise} (|delta| is over {@link #NOISE_FACTOR} times the noise), {@code warnings}
 * (the backend's warnings and infos, "; "-joined, empty when none), {@code convention} (for a signal: the
 * convention, the label that named the service and whether it was pinned or detected; empty for a raw query),
 * {@code onset} (RFC 3339: when the series crossed to its new level, see {@link #onset}; "" when it did not
 * change beyond its noise), {@code before_window} and {@code after_window} (text: the span each mean is over,
 * "07:36–08:36 UTC, 60 min", with seconds under 2 min, so a cause text can say it). The diagnosis ranks a finding that cites this step by that time ({@link Ranking}).
 */
public class MetricsCompareStep implements StepRunner {

    /** How many standard deviations of the before window a change must exceed to count (≈ 3σ: 0.3 % by chance under normality). */
    static final double NOISE_FACTOR = 3.0;

    private final MetricsSource metrics;
    private final ConventionResolver conventions;

    /** A step that runs raw queries only ({@code signal:} is refused at rule load). */
    public MetricsCompareStep(MetricsSource metrics) {
        this(metrics, null);
    }

    /** @param conventions resolves {@code signal:}; null refuses signals */
    public MetricsCompareStep(MetricsSource metrics, ConventionResolver conventions) {
        this.metrics = metrics;
        this.conventions = conventions;
    }

    @Override
    public String type() {
        return "metrics.compare";
    }

    @Override
    public String kind() {
        return "metric";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String d : List.of("before", "after", "before_p95", "after_p95", "ratio", "delta", "last", "step_seconds",
                "noise", "noise_ratio")) {
            out.put(d, 0.0);
        }
        out.put("before_points", 0L);
        out.put("after_points", 0L);
        out.put("series", 0L);
        out.put("exceeds_noise", true);
        out.put("warnings", "");
        out.put("convention", "");
        out.put("onset", "");
        out.put("before_window", "");
        out.put("after_window", "");
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        StepParams.keys(with, Set.of("query", "signal", "service", "at", "before", "after"), Set.of());
        SignalQuery.check(with, conventions, false);
        StepParams.at(with);
        StepParams.duration(with, "before");
        StepParams.duration(with, "after");
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        Instant at;
        try {
            at = StepParams.at(step.with(), alert, previous, "alert.startsAt");
        } catch (RuntimeException e) {
            return StepParams.atFailed(step, this, metrics.name(), e);
        }
        Duration before = duration(step, "before", "1h");
        Duration after = duration(step, "after", "30m");
        Instant start = at.minus(before);
        // On demand, the window asked for is the "after"; for an alert, at most `after` past its start.
        Instant end = alert.onDemand() || !at.plus(after).isBefore(alert.now()) ? alert.now() : at.plus(after);
        if (end.isBefore(at)) {
            end = at;
        }
        // ~1000 points over the whole window, never finer than 1 s.
        Duration resolution = Duration.ofMillis(Math.max(1000, Duration.between(start, end).toMillis() / 1000));
        String query = null;
        try {
            SignalQuery q = SignalQuery.of(step, metrics, conventions, vars, alert.now(), null);
            query = q.text();
            MetricsSource.Result result = metrics.range(query, start, end, resolution);
            String link = metrics.link(query, start, end);
            List<Evidence.Recorded> recorded = new ArrayList<>(q.recorded());
            recorded.add(MetricRecordings.of(query, result));
            if (result.series().isEmpty()) {
                return new Evidence(step.id(), type(), kind(), metrics.name(), query, start, end, Evidence.Status.NO_DATA,
                        "Prometheus returned no series", Map.of("series", 0, "convention", q.convention()), link, recorded);
            }
            MetricsSource.Series s = result.series().get(0);
            List<Double> b = new ArrayList<>();
            List<Double> a = new ArrayList<>();
            double last = Double.NaN;
            for (int i = 0; i < s.times().size(); i++) {
                double v = s.values()[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                (s.times().get(i).isBefore(at) ? b : a).add(v);
                last = v;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("before", mean(b));
            values.put("after", mean(a));
            // what each mean is over, for cause texts: "07:36–08:36 UTC, 60 min", "08:36:31–08:36:36 UTC, 5 s"
            values.put("before_window", window(start, at));
            values.put("after_window", window(at, end));
            values.put("before_p95", p95(b));
            values.put("after_p95", p95(a));
            values.put("ratio", ratio(mean(b), mean(a)));
            values.put("delta", mean(a) - mean(b));
            values.put("last", last);
            values.put("before_points", b.size());
            values.put("after_points", a.size());
            values.put("step_seconds", result.step().toMillis() / 1000.0);
            values.put("series", result.series().size());
            double noise = stddev(b);
            double change = Math.abs(mean(a) - mean(b));
            values.put("noise", noise);
            values.put("noise_ratio", noise > 0 ? change / noise : change > 0 ? Double.POSITIVE_INFINITY : 0.0);
            values.put("exceeds_noise", change > NOISE_FACTOR * noise);
            values.put("warnings", String.join("; ", result.warnings()));
            values.put("convention", q.convention());
            Instant onset = change > NOISE_FACTOR * noise ? onset(s, at, mean(b), mean(a)) : null;
            values.put("onset", onset == null ? "" : onset.toString());
            if (b.isEmpty() || a.isEmpty()) {
                return new Evidence(step.id(), type(), kind(), metrics.name(), query, start, end, Evidence.Status.NO_DATA,
                        "no samples " + (b.isEmpty() ? "before " : "after ") + at, values, link, recorded);
            }
            String reason = result.series().size() > 1 ? result.series().size() + " series returned; compared the first" : null;
            return new Evidence(step.id(), type(), kind(), metrics.name(), query, start, end, Evidence.Status.OK, reason,
                    values, link, recorded);
        } catch (MetricsSourceException e) {
            return new Evidence(step.id(), type(), kind(), metrics.name(), query, start, end, e.status(), e.getMessage(),
                    Map.of(), null).withRecorded(MetricRecordings.of(e));
        }
    }

    /**
     * When the series crossed to its new level: the level is halfway between the before and after means;
     * the first sample at or after {@code at} on the new side of it, walked back over the samples before it
     * that are on that side too (a change that began before the alert's start is dated when it began). Null
     * when the means are equal or unknown, or no sample after {@code at} is on the new side.
     */
    public static Instant onset(MetricsSource.Series s, Instant at, double before, double after) {
        if (Double.isNaN(before) || Double.isNaN(after) || before == after) {
            return null;
        }
        double level = (before + after) / 2;
        boolean rising = after > before;
        int first = -1;
        for (int i = 0; i < s.times().size() && first < 0; i++) {
            double v = s.values()[i];
            if (!s.times().get(i).isBefore(at) && !Double.isNaN(v) && (rising ? v > level : v < level)) {
                first = i;
            }
        }
        if (first < 0) {
            return null;
        }
        int start = first;
        for (int i = first - 1; i >= 0; i--) {
            double v = s.values()[i];
            if (Double.isNaN(v)) {
                continue;
            }
            if (!(rising ? v > level : v < level)) {
                break;
            }
            start = i;
        }
        return s.times().get(start);
    }


    /** {@code 07:36–08:36 UTC, 60 min}; with seconds when the window is under 2 min: {@code 08:36:31–08:36:36 UTC, 5 s}. */
    static String window(Instant from, Instant to) {
        Instant a = from.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant b = to.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Duration d = Duration.between(a, b);
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern(d.toMinutes() < 2 ? "HH:mm:ss" : "HH:mm")
                .withZone(java.time.ZoneOffset.UTC);
        return f.format(a) + "–" + f.format(b) + " UTC, " + dev.rootcause.rule.Durations.span(d);
    }
}
