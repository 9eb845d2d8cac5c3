package dev.rootcause.diagnosis.step.logs;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.step.Stats;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code logs.count}: matching log lines in the alert window against a baseline before it. {@code with}:
 * {@code query} (required; LogQL for Loki, a query string for Elasticsearch), {@code before} (baseline,
 * default {@code 1h}), {@code after} (alert window, default {@code 30m}, ending at the diagnosis at the
 * latest). Values: {@code count_after}, {@code count_before}, {@code rate_after}, {@code rate_before}
 * (lines per second), {@code ratio} (rate after / rate before; +Inf when before is 0 and after is not),
 * {@code lower_bound} (a count is only a lower bound: the backend stopped counting).
 */
public class LogsCountStep extends LogStep {

    /** For the rule-test command and tests. @param logs null when no log backend is configured */
    public LogsCountStep(LogSource logs) {
        super(logs);
    }


    @Override
    public String type() {
        return "logs.count";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count_after", 0L);
        out.put("count_before", 0L);
        out.put("rate_after", 0.0);
        out.put("rate_before", 0.0);
        out.put("ratio", 0.0);
        out.put("lower_bound", false);
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        StepParams.keys(with, Set.of("query", "before", "after"), Set.of("query"));
        StepParams.duration(with, "before");
        StepParams.duration(with, "after");
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        Instant at = alert.startsAt();
        Instant end = windowEnd(step, alert);
        Instant start = at.minus(StepParams.duration(step, "before", "1h"));
        if (logs == null) {
            return notConfigured(step, start, end);
        }
        String query = null;
        try {
            query = logs.render(String.valueOf(step.with().get("query")), vars);
            LogSource.Count after = logs.count(query, at, end);
            LogSource.Count before = logs.count(query, start, at);
            double rateAfter = after.lines() / Math.max(1.0, Duration.between(at, end).toMillis() / 1000.0);
            double rateBefore = before.lines() / Math.max(1.0, Duration.between(start, at).toMillis() / 1000.0);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("count_after", after.lines());
            values.put("count_before", before.lines());
            values.put("rate_after", rateAfter);
            values.put("rate_before", rateBefore);
            values.put("ratio", Stats.ratio(rateBefore, rateAfter));
            values.put("lower_bound", after.lowerBound() || before.lowerBound());
            List<String> notes = new ArrayList<>(after.notes());
            before.notes().stream().filter(n -> !notes.contains(n)).forEach(notes::add);
            if (after.lowerBound() || before.lowerBound()) {
                notes.add("the backend stopped counting: the counts are lower bounds");
            }
            return new Evidence(step.id(), type(), kind(), logs.name(), query, start, end, Evidence.Status.OK,
                    notes.isEmpty() ? null : String.join("; ", notes), values, logs.link(query, at, end),
                    List.of(recorded(query, at, end, after), recorded(query, start, at, before)));
        } catch (SourceException e) {
            return failed(step, query, start, end, e);
        }
    }
}
