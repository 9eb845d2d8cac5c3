package dev.rootcause.diagnosis.step.metrics;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.rule.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The before/after windows of a comparison step, as {@code metrics.compare} frames them: {@code at}
 * ({@code alert.startsAt}, the default, or {@code now}), {@code before} (default {@code 1h}) and
 * {@code after} (default {@code 30m}, ending at the time of the diagnosis at the latest; on demand the whole
 * window up to now). The resolution gives about 1000 points, never finer than 1 s.
 */
public record BeforeAfter(Instant start, Instant at, Instant end, Duration resolution) {

    /** The window keys a comparison step accepts besides its own. */
    static final Set<String> KEYS = Set.of("at", "before", "after");

    /**
     * The parameters of a step over a label selector: {@code selector} (required; the inside of
     * {@code {...}}, label matchers only) and the window keys.
     *
     * @throws IllegalArgumentException naming the key
     */
    public static void checkWithSelector(Map<String, Object> with) {
        checkWithSelector(with, Set.of());
    }

    /**
     * As {@link #checkWithSelector(Map)}, with the step's own optional keys too.
     *
     * @throws IllegalArgumentException naming the key
     */
    public static void checkWithSelector(Map<String, Object> with, Set<String> optional) {
        Set<String> keys = new java.util.HashSet<>(KEYS);
        keys.add("selector");
        keys.addAll(optional);
        StepParams.keys(with, keys, Set.of("selector"));
        String s = String.valueOf(with.get("selector"));
        if (s.contains("{") || s.contains("}")) {
            throw new IllegalArgumentException("selector: label matchers without braces, e.g. service=\"$service\", got " + s);
        }
        StepParams.oneOf(with, "at", Set.of("alert.startsAt", "now"));
        StepParams.duration(with, "before");
        StepParams.duration(with, "after");
    }

    public static BeforeAfter of(Rule.Step step, AlertContext alert) {
        Instant at = "now".equals(step.with().get("at")) ? alert.now() : alert.startsAt();
        Instant start = at.minus(StepParams.duration(step, "before", "1h"));
        Duration after = StepParams.duration(step, "after", "30m");
        Instant end = alert.onDemand() || !at.plus(after).isBefore(alert.now()) ? alert.now() : at.plus(after);
        if (end.isBefore(at)) {
            end = at;
        }
        return new BeforeAfter(start, at, end, Duration.ofMillis(Math.max(1000, Duration.between(start, end).toMillis() / 1000)));
    }

    /**
     * Two range queries over the window, both as sent and as answered.
     *
     * @param queries the queries as sent, in order
     * @param results their answers, in order
     */
    public record Fetched(List<String> queries, List<MetricsSource.Result> results) {

        /** The queries as evidence shows them, one per line. */
        public String query() {
            return String.join("\n", queries);
        }

        public List<Evidence.Recorded> recorded() {
            return List.of(MetricRecordings.of(queries.get(0), results.get(0)), MetricRecordings.of(queries.get(1), results.get(1)));
        }
    }

    /**
     * Renders both templates ({@code SELECTOR} stands for the step's {@code selector}; {@code $var}s are
     * escaped by the source) into {@code rendered}, then runs them over the window.
     *
     * @param rendered receives the queries as soon as they are rendered, for evidence of a failure
     */
    public Fetched fetch(MetricsSource metrics, Rule.Step step, Map<String, String> vars, String first, String second,
            List<String> rendered) throws MetricsSourceException {
        String selector = String.valueOf(step.with().get("selector"));
        rendered.add(metrics.render(first.replace("SELECTOR", selector), vars));
        rendered.add(metrics.render(second.replace("SELECTOR", selector), vars));
        List<MetricsSource.Result> results = new ArrayList<>();
        for (String q : rendered) {
            results.add(metrics.range(q, start, end, resolution));
        }
        return new Fetched(List.copyOf(rendered), results);
    }

    /** A series' non-NaN samples split at {@code at}: [before, after]. */
    public List<List<Double>> split(MetricsSource.Series s) {
        List<Double> b = new ArrayList<>();
        List<Double> a = new ArrayList<>();
        for (int i = 0; i < s.times().size(); i++) {
            double v = s.values()[i];
            if (!Double.isNaN(v)) {
                (s.times().get(i).isBefore(at) ? b : a).add(v);
            }
        }
        return List.of(b, a);
    }
}
