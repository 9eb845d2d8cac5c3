package dev.rootcause.diagnosis.step.metrics;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.rule.Rule;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code metrics.query}: an instant query. {@code with}: {@code query} (PromQL template) or {@code signal}
 * (+ {@code service}, as in {@code metrics.compare}), {@code at} ({@code now}, the default, or
 * {@code alert.startsAt}). Values: {@code value} (first series), {@code series}, {@code convention} (how a
 * signal was resolved; empty for a raw query).
 */
public class MetricsQueryStep implements StepRunner {

    private final MetricsSource metrics;
    private final ConventionResolver conventions;

    /** A step that runs raw queries only ({@code signal:} is refused at rule load). */
    public MetricsQueryStep(MetricsSource metrics) {
        this(metrics, null);
    }

    /** @param conventions resolves {@code signal:}; null refuses signals */
    public MetricsQueryStep(MetricsSource metrics, ConventionResolver conventions) {
        this.metrics = metrics;
        this.conventions = conventions;
    }

    @Override
    public String type() {
        return "metrics.query";
    }

    @Override
    public String kind() {
        return "metric";
    }

    @Override
    public Map<String, Object> outputs() {
        return Map.of("value", 0.0, "series", 0L, "convention", "");
    }

    @Override
    public void check(Map<String, Object> with) {
        StepParams.keys(with, Set.of("query", "signal", "service", "at"), Set.of());
        SignalQuery.check(with, conventions, false);
        StepParams.oneOf(with, "at", Set.of("alert.startsAt", "now"));
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        Instant at = "alert.startsAt".equals(step.with().get("at")) ? alert.startsAt() : alert.now();
        String query = null;
        try {
            SignalQuery q = SignalQuery.of(step, metrics, conventions, vars, alert.now(), null);
            query = q.text();
            MetricsSource.Result result = metrics.instant(query, at);
            String link = metrics.link(query, at.minusSeconds(3600), at);
            List<Evidence.Recorded> recorded = new java.util.ArrayList<>(q.recorded());
            recorded.add(MetricRecordings.of(query, result));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("series", result.series().size());
            values.put("convention", q.convention());
            if (result.series().isEmpty() || Double.isNaN(result.series().get(0).values()[0])) {
                values.put("value", Double.NaN);
                return new Evidence(step.id(), type(), kind(), metrics.name(), query, at, at, Evidence.Status.NO_DATA,
                        "Prometheus returned no value", values, link, recorded);
            }
            values.put("value", result.series().get(0).values()[0]);
            return new Evidence(step.id(), type(), kind(), metrics.name(), query, at, at, Evidence.Status.OK, null, values, link,
                    recorded);
        } catch (MetricsSourceException e) {
            return new Evidence(step.id(), type(), kind(), metrics.name(), query, at, at, e.status(), e.getMessage(),
                    Map.of(), null).withRecorded(MetricRecordings.of(e));
        }
    }
}
