package dev.rootcause.diagnosis;

import dev.rootcause.rule.Rule;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code metrics.query}: an instant query. {@code with}: {@code query} (PromQL template), {@code at}
 * ({@code now}, the default, or {@code alert.startsAt}). Values: {@code value} (first series), {@code series}.
 */
@ApplicationScoped
public class MetricsQueryStep implements StepRunner {

    private final MetricsSource metrics;

    public MetricsQueryStep(MetricsSource metrics) {
        this.metrics = metrics;
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
        return Map.of("value", 0.0, "series", 0L);
    }

    @Override
    public void check(Map<String, Object> with) {
        StepParams.keys(with, Set.of("query", "at"), Set.of("query"));
        StepParams.oneOf(with, "at", Set.of("alert.startsAt", "now"));
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        Instant at = "alert.startsAt".equals(step.with().get("at")) ? alert.startsAt() : alert.now();
        String query = null;
        try {
            query = metrics.render(String.valueOf(step.with().get("query")), vars);
            MetricsSource.Result result = metrics.instant(query, at);
            String link = metrics.link(query, at.minusSeconds(3600), at);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("series", result.series().size());
            if (result.series().isEmpty() || Double.isNaN(result.series().get(0).values()[0])) {
                values.put("value", Double.NaN);
                return new Evidence(step.id(), type(), kind(), metrics.name(), query, at, at, Evidence.Status.NO_DATA,
                        "Prometheus returned no value", values, link, List.of(Evidence.Recorded.of(query, result)));
            }
            values.put("value", result.series().get(0).values()[0]);
            return new Evidence(step.id(), type(), kind(), metrics.name(), query, at, at, Evidence.Status.OK, null, values, link,
                    List.of(Evidence.Recorded.of(query, result)));
        } catch (MetricsSourceException e) {
            return new Evidence(step.id(), type(), kind(), metrics.name(), query, at, at, e.status(), e.getMessage(),
                    Map.of(), null);
        }
    }
}
