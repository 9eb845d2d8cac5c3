package dev.rootcause.diagnosis.step.items;

import static dev.rootcause.diagnosis.step.Stats.mean;
import static dev.rootcause.diagnosis.step.Stats.p95;
import static dev.rootcause.diagnosis.step.Stats.ratio;
import static dev.rootcause.diagnosis.step.Stats.stddev;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.ItemHistorySource;
import dev.rootcause.diagnosis.port.ItemHistorySourceException;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.metrics.BeforeAfter;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Rule;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code items.compare}: one monitored item (host and key, e.g. a Zabbix item) before and after an instant, as
 * {@code metrics.compare} compares a series, from an {@link ItemHistorySource}. {@code with}: {@code host}
 * (required; the host's technical name, {@code $name} placeholders filled from the rule's vars), {@code key}
 * (required; the item key exactly as configured, placeholders filled likewise), {@code at} ({@code alert.startsAt},
 * the default, or {@code now}), {@code before} (default {@code 1h}), {@code after} (default {@code 30m}).
 *
 * <p>Values: those of {@code metrics.compare} over the item's samples ({@code before}, {@code after},
 * {@code before_p95}, {@code after_p95}, {@code ratio}, {@code delta}, {@code last}, {@code before_points},
 * {@code after_points}, {@code noise}, {@code noise_ratio}, {@code exceeds_noise}, {@code onset}), and
 * {@code item} (the item's name), {@code units}, {@code method} ({@code history.get}, or {@code trend.get}: hourly
 * averages), {@code warnings}. Evidence kind {@code metric}: an item is a metric, so a Zabbix item and a Prometheus
 * series of the same thing are not two independent kinds; its answers are recorded as family {@code item}.
 */
public class ItemsCompareStep implements StepRunner {

    /** The family answers of this step are recorded under ({@code Evidence.Recorded#capability}). */
    public static final String FAMILY = "item";
    private static final Pattern VAR = Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)");

    private final ItemHistorySource items;

    /** @param items the configured backend, or null when none is: the step then ends {@code skipped}, saying so */
    public ItemsCompareStep(ItemHistorySource items) {
        this.items = items;
    }

    @Override
    public String type() {
        return "items.compare";
    }

    @Override
    public String kind() {
        return "metric";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String d : List.of("before", "after", "before_p95", "after_p95", "ratio", "delta", "last", "noise", "noise_ratio")) {
            out.put(d, 0.0);
        }
        out.put("before_points", 0L);
        out.put("after_points", 0L);
        out.put("exceeds_noise", true);
        for (String s : List.of("onset", "item", "units", "method", "warnings")) {
            out.put(s, "");
        }
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        Set<String> keys = new HashSet<>(Set.of("host", "key"));
        keys.addAll(Set.of("at", "before", "after"));
        StepParams.keys(with, keys, Set.of("host", "key"));
        StepParams.oneOf(with, "at", Set.of("alert.startsAt", "now"));
        StepParams.duration(with, "before");
        StepParams.duration(with, "after");
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        BeforeAfter w = BeforeAfter.of(step, alert);
        String source = items == null ? "items" : items.name();
        String host;
        String key;
        try {
            host = fill("host", String.valueOf(step.with().get("host")), vars);
            key = fill("key", String.valueOf(step.with().get("key")), vars);
        } catch (IllegalArgumentException e) {
            return evidence(step, source, null, w, Evidence.Status.ERROR, e.getMessage(), Map.of(), null);
        }
        String query = "host=" + host + " key=" + key;
        if (items == null) {
            return evidence(step, source, query, w, Evidence.Status.SKIPPED,
                    "no item history backend configured (rootcause.sources.items.kind: zabbix or skywalking)", Map.of(), null);
        }
        ItemHistorySource.ItemSeries s;
        try {
            s = items.history(host, key, w.start(), w.end());
        } catch (ItemHistorySourceException e) {
            return evidence(step, source, query, w, e.status(), e.getMessage(), Map.of(), null)
                    .withRecorded(List.of(ItemRecordings.of(query, e)));
        }
        List<Evidence.Recorded> recorded = List.of(ItemRecordings.of(query, s));
        MetricsSource.Series series = new MetricsSource.Series(Map.of("host", host, "key", key), s.times(), s.values());
        List<List<Double>> split = w.split(series);
        List<Double> b = split.get(0);
        List<Double> a = split.get(1);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("before", mean(b));
        values.put("after", mean(a));
        values.put("before_p95", p95(b));
        values.put("after_p95", p95(a));
        values.put("ratio", ratio(mean(b), mean(a)));
        values.put("delta", mean(a) - mean(b));
        values.put("last", s.values().length == 0 ? Double.NaN : s.values()[s.values().length - 1]);
        values.put("before_points", (long) b.size());
        values.put("after_points", (long) a.size());
        double noise = stddev(b);
        double change = Math.abs(mean(a) - mean(b));
        boolean exceeds = change > 3.0 * noise;
        values.put("noise", noise);
        values.put("noise_ratio", noise > 0 ? change / noise : change > 0 ? Double.POSITIVE_INFINITY : 0.0);
        values.put("exceeds_noise", exceeds);
        var onset = exceeds ? MetricsCompareStep.onset(series, w.at(), mean(b), mean(a)) : null;
        values.put("onset", onset == null ? "" : onset.toString());
        values.put("item", s.name());
        values.put("units", s.units());
        values.put("method", s.method());
        values.put("warnings", String.join("; ", s.warnings()));
        if (b.isEmpty() || a.isEmpty()) {
            return evidence(step, source, query, w, Evidence.Status.NO_DATA, "no " + s.method() + " samples of " + key + " on " + host
                    + (b.isEmpty() ? " before " : " after ") + w.at(), values, s.link()).withRecorded(recorded);
        }
        return evidence(step, source, query, w, Evidence.Status.OK, null, values, s.link()).withRecorded(recorded);
    }

    private Evidence evidence(Rule.Step step, String source, String query, BeforeAfter w, Evidence.Status status, String reason,
            Map<String, Object> values, String link) {
        return new Evidence(step.id(), type(), kind(), source, query, w.start(), w.end(), status, reason, values, link);
    }

    /** Fills {@code $name} from vars; the adapter sends the result as a JSON string, so nothing needs escaping. */
    static String fill(String param, String template, Map<String, String> vars) {
        Matcher m = VAR.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException(param + " uses $" + m.group(1) + ", which has no value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        if (out.toString().isBlank()) {
            throw new IllegalArgumentException(param + ": empty after filling placeholders");
        }
        return out.toString();
    }
}
