package dev.rootcause.diagnosis.step.metrics;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.rule.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code metrics.range}: a range query over a window ending at an instant, summarised. {@code with}:
 * {@code query} (PromQL template), {@code at} (end of the window: {@code now}, the default,
 * {@code alert.startsAt} or {@code steps.<id>.time}), {@code window} (default {@code 1h}), {@code step}
 * (resolution, default window / 500; widened by the source so no series passes 11,000 points).
 *
 * <p>Values: {@code series}, {@code points} (samples of the first series, NaN left out), {@code min},
 * {@code max}, {@code mean}, {@code last} (first series; NaN when it has no samples), {@code step_seconds},
 * {@code warnings}. The whole answer is recorded for the report's charts and rule-test exports.
 */
public class MetricsRangeStep implements StepRunner {

    private final MetricsSource metrics;

    public MetricsRangeStep(MetricsSource metrics) {
        this.metrics = metrics;
    }

    @Override
    public String type() {
        return "metrics.range";
    }

    @Override
    public String kind() {
        return "metric";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("series", 0L);
        out.put("points", 0L);
        for (String d : List.of("min", "max", "mean", "last", "step_seconds")) {
            out.put(d, 0.0);
        }
        out.put("warnings", "");
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        StepParams.keys(with, Set.of("query", "at", "window", "step"), Set.of("query"));
        StepParams.at(with);
        StepParams.duration(with, "window");
        StepParams.duration(with, "step");
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        Instant end;
        try {
            end = StepParams.at(step.with(), alert, previous, "now");
        } catch (RuntimeException e) {
            return StepParams.atFailed(step, this, metrics.name(), e);
        }
        Duration window = StepParams.duration(step, "window", "1h");
        Instant start = end.minus(window);
        Duration resolution = step.with().containsKey("step") ? StepParams.duration(step, "step", "1m")
                : Duration.ofMillis(Math.max(1000, window.toMillis() / 500));
        String query = null;
        try {
            query = metrics.render(String.valueOf(step.with().get("query")), vars);
            MetricsSource.Result result = metrics.range(query, start, end, resolution);
            String link = metrics.link(query, start, end);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("series", result.series().size());
            double min = Double.NaN;
            double max = Double.NaN;
            double sum = 0;
            int n = 0;
            double last = Double.NaN;
            if (!result.series().isEmpty()) {
                for (double v : result.series().get(0).values()) {
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    min = n == 0 ? v : Math.min(min, v);
                    max = n == 0 ? v : Math.max(max, v);
                    sum += v;
                    n++;
                    last = v;
                }
            }
            values.put("points", n);
            values.put("min", min);
            values.put("max", max);
            values.put("mean", n == 0 ? Double.NaN : sum / n);
            values.put("last", last);
            values.put("step_seconds", result.step().toMillis() / 1000.0);
            values.put("warnings", String.join("; ", result.warnings()));
            List<Evidence.Recorded> recorded = List.of(MetricRecordings.of(query, result));
            if (n == 0) {
                return new Evidence(step.id(), type(), kind(), metrics.name(), query, start, end, Evidence.Status.NO_DATA,
                        result.series().isEmpty() ? metrics.name() + " returned no series" : "the series has no samples",
                        values, link, recorded);
            }
            return new Evidence(step.id(), type(), kind(), metrics.name(), query, start, end, Evidence.Status.OK,
                    result.series().size() > 1 ? result.series().size() + " series returned; summarised the first" : null,
                    values, link, recorded);
        } catch (MetricsSourceException e) {
            return new Evidence(step.id(), type(), kind(), metrics.name(), query, start, end, e.status(), e.getMessage(),
                    Map.of(), null);
        }
    }
}
