package dev.rootcause.diagnosis.step.items;

import static dev.rootcause.diagnosis.step.Stats.mean;
import static dev.rootcause.diagnosis.step.Stats.ratio;
import static dev.rootcause.diagnosis.step.Stats.stddev;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import dev.rootcause.diagnosis.graph.DependencyGraphs;
import dev.rootcause.diagnosis.port.ItemHistorySource;
import dev.rootcause.diagnosis.port.ItemHistorySourceException;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.graph.CatalogueEdges;
import dev.rootcause.diagnosis.step.metrics.BeforeAfter;
import dev.rootcause.rule.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code items.downstreams}: the services the dependency graph says {@code host} calls (its downstreams, e.g. from
 * SkyWalking's topology), each compared before and after the alert through the item history backend with the same
 * {@code key} (e.g. {@code service_resp_time} on SkyWalking), and the one whose value rose most named. {@code with}:
 * {@code host} (required, placeholders as {@code items.compare}), {@code key} (required), {@code at},
 * {@code before}, {@code after} as {@code items.compare}, {@code min_ratio} (how many times its own before a
 * downstream's after must be to be blamed, default 2), {@code limit} (downstreams read at most, default 10, 1-50).
 *
 * <p>Values: {@code found} (a downstream rose by {@code min_ratio} beyond its noise), {@code blamed},
 * {@code blamed_before}, {@code blamed_after}, {@code blamed_ratio}, {@code downstreams} (how many the graph knows),
 * {@code checked} (each read one as {@code name before→after}), {@code unchecked} (those that could not be read, with
 * why), {@code graph_sources} (the sources that told the downstream edges, e.g. {@code skywalking}), {@code units}. Status {@code no_data}
 * when the graph knows no downstream of {@code host} or none could be read. Each answer is recorded as
 * {@code items.compare}'s are (family {@code item}); the graph read, when it has edges, is recorded as
 * {@code graph.walk} records it ({@link CatalogueEdges#recorded}, family {@code graph}, exported as {@code graph.json}),
 * so an incident's export replays the same downstreams.
 */
public class ItemsDownstreamsStep implements StepRunner {

    private final ItemHistorySource items;
    private final DependencyGraphs graphs;

    /** @param items the configured backend or null (skipped); @param graphs the graph in force, or null (no_data) */
    public ItemsDownstreamsStep(ItemHistorySource items, DependencyGraphs graphs) {
        this.items = items;
        this.graphs = graphs;
    }

    @Override
    public String type() {
        return "items.downstreams";
    }

    @Override
    public String kind() {
        return "metric";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("found", false);
        for (String s : List.of("blamed", "checked", "unchecked", "graph_sources", "units")) {
            out.put(s, "");
        }
        for (String d : List.of("blamed_before", "blamed_after", "blamed_ratio")) {
            out.put(d, 0.0);
        }
        out.put("downstreams", 0L);
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        StepParams.keys(with, Set.of("host", "key", "at", "before", "after", "min_ratio", "limit"), Set.of("host", "key"));
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
            host = ItemsCompareStep.fill("host", String.valueOf(step.with().get("host")), vars);
            key = ItemsCompareStep.fill("key", String.valueOf(step.with().get("key")), vars);
        } catch (IllegalArgumentException e) {
            return evidence(step, source, null, w, Evidence.Status.ERROR, e.getMessage(), Map.of());
        }
        String query = "downstreams of " + host + " key=" + key;
        if (items == null) {
            return evidence(step, source, query, w, Evidence.Status.SKIPPED,
                    "no item history backend configured (rootcause.sources.items.kind: skywalking)", Map.of());
        }
        DependencyGraph graph = graphs == null ? DependencyGraph.EMPTY : graphs.current();
        String node = graphs == null ? host : graphs.node(host);
        List<DependencyEdge> downs = graph.downstreams(node);
        // the sources that told these edges (e.g. skywalking), not every source the graph asked
        Set<String> told = new TreeSet<>();
        downs.forEach(e -> told.addAll(e.origins()));
        String sources = String.join(", ", downs.isEmpty() ? new TreeSet<>(graph.sources().keySet()) : told);
        source = source + " + topology (" + (sources.isEmpty() ? "no graph source" : sources) + ")";
        Map<String, Object> values = new LinkedHashMap<>(outputs());
        values.put("graph_sources", sources);
        values.put("downstreams", (long) downs.size());
        List<Evidence.Recorded> recorded = new ArrayList<>();
        if (!graph.edges().isEmpty()) {
            recorded.add(CatalogueEdges.recorded(graph));
        }
        if (downs.isEmpty()) {
            return evidence(step, source, query, w, Evidence.Status.NO_DATA, "the dependency graph knows no downstream of " + host
                    + " (sources: " + (sources.isEmpty() ? "none answered" : sources) + ")", values).withRecorded(recorded);
        }
        double minRatio = number(step.with().get("min_ratio"), 2.0);
        int limit = (int) Math.max(1, Math.min(50, number(step.with().get("limit"), 10)));
        List<String> checked = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        double best = 0;
        for (DependencyEdge e : downs.subList(0, Math.min(limit, downs.size()))) {
            String q = "host=" + e.callee() + " key=" + key;
            try {
                ItemHistorySource.ItemSeries s = items.history(e.callee(), key, w.start(), w.end());
                recorded.add(ItemRecordings.of(q, s));
                List<List<Double>> split = w.split(new MetricsSource.Series(Map.of("host", e.callee()), s.times(), s.values()));
                if (split.get(0).isEmpty() || split.get(1).isEmpty()) {
                    unchecked.add(e.callee() + ": no samples " + (split.get(0).isEmpty() ? "before" : "after"));
                    continue;
                }
                double b = mean(split.get(0));
                double a = mean(split.get(1));
                double r = ratio(b, a);
                values.put("units", s.units());
                checked.add(e.callee() + " " + num(b) + "→" + num(a));
                boolean exceeds = Math.abs(a - b) > 3.0 * stddev(split.get(0));
                if (r >= minRatio && exceeds && r > best) {
                    best = r;
                    values.put("found", true);
                    values.put("blamed", e.callee());
                    values.put("blamed_before", b);
                    values.put("blamed_after", a);
                    values.put("blamed_ratio", r);
                }
            } catch (ItemHistorySourceException ex) {
                recorded.add(ItemRecordings.of(q, ex));
                unchecked.add(e.callee() + ": " + ex.status().name().toLowerCase(java.util.Locale.ROOT) + " (" + ex.getMessage() + ")");
            }
        }
        if (downs.size() > limit) {
            unchecked.add((downs.size() - limit) + " more beyond limit " + limit);
        }
        values.put("checked", String.join("; ", checked));
        values.put("unchecked", String.join("; ", unchecked));
        Evidence.Status status = checked.isEmpty() ? (unchecked.isEmpty() ? Evidence.Status.NO_DATA : worst(unchecked)) : Evidence.Status.OK;
        String reason = checked.isEmpty() ? "no downstream of " + host + " could be read: " + String.join("; ", unchecked) : null;
        return evidence(step, source, query, w, status, reason, values).withRecorded(recorded);
    }

    private static Evidence.Status worst(List<String> unchecked) {
        return unchecked.stream().anyMatch(u -> u.contains(": error (") || u.contains(": timeout (")) ? Evidence.Status.ERROR
                : Evidence.Status.NO_DATA;
    }

    private static double number(Object v, double fallback) {
        return v instanceof Number n ? n.doubleValue() : v == null ? fallback : Double.parseDouble(v.toString());
    }

    private static String num(double v) {
        return Math.abs(v) >= 100 ? String.valueOf(Math.round(v)) : String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    private Evidence evidence(Rule.Step step, String source, String query, BeforeAfter w, Evidence.Status status, String reason,
            Map<String, Object> values) {
        return new Evidence(step.id(), type(), kind(), source, query, w.start(), w.end(), status, reason, values, null);
    }
}
