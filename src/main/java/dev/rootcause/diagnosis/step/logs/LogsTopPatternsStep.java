package dev.rootcause.diagnosis.step.logs;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.traces.TraceStep;
import dev.rootcause.rule.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code logs.top_patterns}: the commonest message patterns ({@link LogPatterns}) among the lines matching
 * a query in the alert window. {@code with}: {@code query} (required), {@code after} (default {@code 30m}),
 * {@code limit} (lines read, 1–5000, default 1000; the adapter may cap it at the backend's limit),
 * {@code top} (patterns reported, 1–20, default 5), {@code by} (a stream label or JSON/logfmt field whose
 * commonest value per pattern is reported, e.g. {@code client}).
 *
 * <p>Values: {@code lines}, {@code patterns}, {@code truncated} (more lines matched than were read: the
 * counts are of a sample, and the reason says so), {@code top_pattern}, {@code top_count},
 * {@code top_share} (of lines read, 0–1), {@code top_example}, {@code top_by} ("" when none),
 * {@code top_by_count}, {@code summary} (each reported pattern with its count).
 */
public class LogsTopPatternsStep extends LogStep {

    /** For the rule-test command and tests. @param logs null when no log backend is configured */
    public LogsTopPatternsStep(LogSource logs) {
        super(logs);
    }


    @Override
    public String type() {
        return "logs.top_patterns";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lines", 0L);
        out.put("patterns", 0L);
        out.put("truncated", false);
        out.put("top_pattern", "");
        out.put("top_count", 0L);
        out.put("top_share", 0.0);
        out.put("top_example", "");
        out.put("top_by", "");
        out.put("top_by_count", 0L);
        out.put("summary", "");
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        StepParams.keys(with, Set.of("query", "after", "limit", "top", "by"), Set.of("query"));
        StepParams.duration(with, "after");
        StepParams.integer(with, "limit", 1000, 1, 5000);
        StepParams.integer(with, "top", 5, 1, 20);
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        Instant start = alert.startsAt();
        Instant end = windowEnd(step, alert);
        if (logs == null) {
            return notConfigured(step, start, end);
        }
        int limit = StepParams.integer(step.with(), "limit", 1000, 1, 5000);
        int top = StepParams.integer(step.with(), "top", 5, 1, 20);
        Object by = step.with().get("by");
        String query = null;
        try {
            query = logs.render(String.valueOf(step.with().get("query")), vars);
            LogSource.Lines lines = logs.lines(query, start, end, limit);
            String link = logs.link(query, start, end);
            List<String> notes = new ArrayList<>(lines.notes());
            if (lines.truncated()) {
                notes.add("more lines matched than the " + lines.lines().size() + " read: pattern counts are of the newest "
                        + lines.lines().size());
            }
            String reason = notes.isEmpty() ? null : String.join("; ", notes);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("lines", (long) lines.lines().size());
            values.put("truncated", lines.truncated());
            if (lines.lines().isEmpty()) {
                values.put("patterns", 0L);
                return new Evidence(step.id(), type(), kind(), logs.name(), query, start, end, Evidence.Status.NO_DATA,
                        "no matching lines" + (reason == null ? "" : "; " + reason), values, link,
                        List.of(recorded(query, start, end, lines)));
            }
            List<LogPatterns.Group> groups = LogPatterns.top(lines.lines(), Integer.MAX_VALUE, by == null ? null : by.toString());
            LogPatterns.Group first = groups.get(0);
            values.put("patterns", (long) groups.size());
            values.put("top_pattern", first.pattern());
            values.put("top_count", (long) first.count());
            values.put("top_share", first.count() / (double) lines.lines().size());
            values.put("top_example", first.example());
            values.put("top_by", first.by() == null ? "" : first.by());
            values.put("top_by_count", (long) first.byCount());
            StringBuilder summary = new StringBuilder();
            for (LogPatterns.Group g : groups.subList(0, Math.min(top, groups.size()))) {
                summary.append(summary.isEmpty() ? "" : "; ").append(g.count()).append("× ").append(g.pattern());
                if (g.by() != null) {
                    summary.append(" (").append(by).append(' ').append(g.by()).append(": ").append(g.byCount()).append(')');
                }
            }
            values.put("summary", summary.toString());
            return new Evidence(step.id(), type(), kind(), logs.name(), query, start, end, Evidence.Status.OK, reason, values, link,
                    List.of(recorded(query, start, end, lines)));
        } catch (SourceException e) {
            return failed(step, query, start, end, e);
        }
    }
}
