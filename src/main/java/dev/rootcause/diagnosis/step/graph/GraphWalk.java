package dev.rootcause.diagnosis.step.graph;

import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.ServiceCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The walk down the dependency graph, as a plain class (no CDI): from the alert's service, each level's components
 * are measured before vs after the alert's start in one query per signal ({@link LevelQueries}); the walk descends
 * into the anomalous ones and blames the deepest anomalous component whose own downstreams are normal, or whose
 * anomaly has its own explanation ({@link Explanations}). A component whose anomaly began more than
 * {@link Request#onsetTolerance()} after its caller's is a consequence (not descended into, not blamed); one that
 * was as slow the same window a day before is its daily pattern (normal); a component already visited is not
 * visited again (cycles); the walk stops at {@link Request#maxDepth()} levels below the service. Several callers of
 * one anomalous component (fan-in) lead to it once, and the deeper component wins over them.
 *
 * <p>The step {@code graph.walk} ({@link GraphWalkStep}) calls it; so can a replay harness.
 */
public final class GraphWalk {

    /**
     * What to walk.
     *
     * @param service        the component to start from (the alert's target)
     * @param signal         what to follow
     * @param start          the baseline's start
     * @param at             the alert's start: the baseline is before it
     * @param end            the end of the window looked at
     * @param resolution     range-query step
     * @param vars           rule vars ({@code rate_window}, default 5m)
     * @param maxDepth       levels below the service to measure at most (1-10)
     * @param minRatio       after / before a component must reach to count as anomalous
     * @param minAfter       and the level after must pass (errors: 0.01)
     * @param onsetTolerance how much later than its caller's a component's anomaly may begin and still be a cause
     * @param dayBefore      also compare anomalous components with the same window a day before (slow every day)
     * @param tracesBlame    the component a one-hop step singled out for this alert (the trace step's slowest
     *                       dependency, or a client-metric step's top riser), or null
     * @param hintKind       how that step saw it: {@code traces} or {@code client metrics}
     * @param hintBefore     the step's before value for it (client metrics: the signal's unit), NaN when none
     * @param hintAfter      its after value, NaN when none
     * @param trustAlert     the alert is about this signal: its target counts as anomalous even when the walk's own
     *                       reading of it does not pass the noise test (the alert's threshold knows better); false for a
     *                       signal the alert is not about (an errors walk on a latency alert): then a target whose own
     *                       reading did not change is not walked below
     */
    public record Request(String service, WalkSignal signal, Instant start, Instant at, Instant end, Duration resolution,
            Map<String, String> vars, int maxDepth, double minRatio, double minAfter, Duration onsetTolerance, boolean dayBefore,
            String tracesBlame, String hintKind, double hintBefore, double hintAfter, boolean trustAlert) {

        /** A request about the signal the alert is about ({@code trustAlert}). */
        public Request(String service, WalkSignal signal, Instant start, Instant at, Instant end, Duration resolution,
                Map<String, String> vars, int maxDepth, double minRatio, double minAfter, Duration onsetTolerance,
                boolean dayBefore, String tracesBlame, String hintKind, double hintBefore, double hintAfter) {
            this(service, signal, start, at, end, resolution, vars, maxDepth, minRatio, minAfter, onsetTolerance, dayBefore,
                    tracesBlame, hintKind, hintBefore, hintAfter, true);
        }
    }

    private final MetricsSource metrics;
    private final MetricConventions conventions;
    private final ServiceCatalogue catalogue;
    private final Explanations explanations;

    /**
     * @param changes the change backends (a deploy in the window explains an anomaly); may be empty
     * @param prober  probes catalogued health URLs; null for none
     */
    public GraphWalk(MetricsSource metrics, MetricConventions conventions, ServiceCatalogue catalogue, List<ChangeSource> changes,
            HttpProber prober) {
        this.metrics = metrics;
        this.conventions = conventions;
        this.catalogue = catalogue;
        this.explanations = new Explanations(changes, prober, catalogue);
    }

    /**
     * Walks {@code graph} from {@code r.service()}.
     *
     * @throws MetricsSourceException when Prometheus fails on the target's own level (nothing can be said);
     *                                failures further down become "not checked" entries
     */
    public WalkResult walk(DependencyGraph graph, Request r) throws MetricsSourceException {
        LevelQueries q = new LevelQueries(metrics, conventions, catalogue, r.vars());
        LevelQueries.Window w = new LevelQueries.Window(r.start(), r.at(), r.end(), r.resolution());
        Map<String, WalkNode> nodes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        WalkNode root = new WalkNode(r.service(), 0);
        nodes.put(root.name, root);
        measure(List.of(root), q, w, r, true);
        boolean unchanged = root.reading != null && !r.trustAlert() && !root.reading.anomalous(r.minRatio(), r.minAfter());
        if (root.reading != null && !unchanged) {
            root.state = "anomalous";
        }
        Instant rootOnset = root.reading != null && root.reading.onset() != null ? root.reading.onset() : r.at();
        // the target's own saturation explains every downstream looking slow from it (a deploy of it does not stop the walk)
        root.explanation = graph.downstreams(root.name).isEmpty() ? null
                : explanations.saturation(List.of(root.name), q, w, problems).get(root.name);
        List<WalkNode> frontier = root.explanation == null && !unchanged ? List.of(root) : List.of();
        int depth = 0;
        while (!frontier.isEmpty() && depth < r.maxDepth()) {
            depth++;
            List<WalkNode> level = new ArrayList<>();
            for (WalkNode p : frontier) {
                for (DependencyEdge e : graph.downstreams(p.name)) {
                    WalkNode c = nodes.get(e.callee());
                    if (c == null) {
                        c = new WalkNode(e.callee(), depth);
                        nodes.put(c.name, c);
                        level.add(c);
                    }
                    if (c.depth == depth && !c.parents.contains(p.name)) {
                        c.parents.add(p.name); // fan-in; an edge back up (a cycle) is not followed
                    }
                }
            }
            if (level.isEmpty()) {
                depth--; // nothing below the last level: it was not a level walked
                break;
            }
            try {
                measure(level, q, w, r, false);
            } catch (MetricsSourceException e) {
                level.forEach(n -> n.why = "Prometheus " + e.status().wire() + ": " + e.getMessage());
                problems.add("level " + depth + ": " + e.getMessage());
                break;
            }
            classify(level, nodes, rootOnset, r, q, w, problems);
            frontier = level.stream().filter(n -> n.state.equals("anomalous") && n.explanation == null).toList();
            uniform(frontier, nodes);
            frontier = frontier.stream().filter(n -> n.state.equals("anomalous")).toList();
        }
        if (depth == r.maxDepth()) {
            for (WalkNode n : frontier) {
                if (!graph.downstreams(n.name).isEmpty()) {
                    problems.add("below " + n.name + " (the depth limit, " + r.maxDepth() + " levels, was reached)");
                }
            }
        }
        return WalkVerdict.of(root, nodes, r, q.sent(), q.recorded(), depth, problems, q.backendMillis());
    }

    /** Server side for every node of the level in one query; the callers' client side for those without. */
    private void measure(List<WalkNode> level, LevelQueries q, LevelQueries.Window w, Request r, boolean first) throws MetricsSourceException {
        LevelQueries.Answer server = q.server(level.stream().map(n -> n.name).toList(), r.signal().serverSignal(), w, "");
        Map<String, List<String>> missing = new LinkedHashMap<>();
        for (WalkNode n : level) {
            var s = server.series().get(n.name);
            if (s != null && Reading.of(s, r.at(), false).measured()) {
                n.reading = Reading.of(s, r.at(), false);
            } else if (!n.parents.isEmpty()) {
                missing.put(n.name, n.parents);
            }
        }
        if (first || missing.isEmpty()) {
            return;
        }
        LevelQueries.Answer client = q.client(missing, r.signal().clientSignal(), w);
        for (WalkNode n : level) {
            if (n.reading == null) {
                // the worst caller's view of it
                n.reading = n.parents.stream().map(p -> client.series().get(p + ">" + n.name)).filter(java.util.Objects::nonNull)
                        .map(s -> Reading.of(s, r.at(), true)).filter(Reading::measured)
                        .max(Comparator.comparingDouble(x -> x.after() - x.before())).orElse(null);
            }
        }
    }

    private void classify(List<WalkNode> level, Map<String, WalkNode> nodes, Instant rootOnset, Request r, LevelQueries q,
            LevelQueries.Window w, List<String> problems) {
        List<WalkNode> anomalous = new ArrayList<>();
        for (WalkNode n : level) {
            if (n.reading == null) {
                continue;
            }
            if (!n.reading.anomalous(r.minRatio(), r.minAfter())) {
                n.state = "normal";
                continue;
            }
            Instant parentOnset = n.parents.stream().map(nodes::get).map(p -> p.reading == null || p.reading.onset() == null
                    ? rootOnset : p.reading.onset()).min(Comparator.naturalOrder()).orElse(rootOnset);
            if (n.reading.onset() != null && n.reading.onset().isAfter(parentOnset.plus(r.onsetTolerance()))) {
                n.state = "consequence";
                n.why = "began at " + n.reading.onset() + ", after its caller (" + parentOnset + "): a consequence, not the cause";
                continue;
            }
            n.state = "anomalous";
            anomalous.add(n);
        }
        if (r.dayBefore()) {
            daily(anomalous.stream().filter(n -> !n.reading.client()).toList(), q, w, r, problems);
        }
        List<WalkNode> still = anomalous.stream().filter(n -> n.state.equals("anomalous")).toList();
        Map<String, List<String>> callers = new LinkedHashMap<>();
        level.forEach(n -> callers.put(n.name, n.parents));
        explanations.of(still.stream().map(n -> n.name).toList(), callers, q, w, problems).forEach((c, why) -> nodes.get(c).explanation = why);
        // components nothing measured: a failing health probe makes them anomalous (the probe rule's hop)
        List<WalkNode> unmeasured = level.stream().filter(n -> n.reading == null).toList();
        explanations.probes(unmeasured.stream().map(n -> n.name).toList(), callers, problems).forEach((c, why) -> {
            WalkNode n = nodes.get(c);
            if (why != null) {
                n.state = "anomalous";
                n.explanation = why;
            } else {
                n.state = "normal";
                n.why = "health probe answered";
            }
        });
    }

    /** Anomalous components as anomalous the same window a day before: their daily pattern, not a cause. */
    private void daily(List<WalkNode> anomalous, LevelQueries q, LevelQueries.Window w, Request r, List<String> problems) {
        if (anomalous.isEmpty()) {
            return;
        }
        try {
            LevelQueries.Answer yesterday = q.server(anomalous.stream().map(n -> n.name).toList(), r.signal().serverSignal(), w, "1d");
            for (WalkNode n : anomalous) {
                var s = yesterday.series().get(n.name);
                Reading y = s == null ? null : Reading.of(s, r.at(), false);
                if (y != null && y.anomalous(r.minRatio(), r.minAfter()) && n.reading.after() <= 1.5 * y.after()) {
                    n.state = "daily";
                    n.why = "as " + (r.signal() == WalkSignal.LATENCY ? "slow" : "failing") + " the same time a day before ("
                            + r.signal().range(y.before(), y.after()) + "): its daily pattern";
                }
            }
        } catch (MetricsSourceException e) {
            problems.add("the day before: " + e.getMessage());
        }
    }

    /** Two or more downstreams of one caller, all anomalous only as its client sees them: the caller is what is slow. */
    private static void uniform(List<WalkNode> anomalous, Map<String, WalkNode> nodes) {
        Map<String, List<WalkNode>> byParent = new LinkedHashMap<>();
        for (WalkNode n : anomalous) {
            n.parents.forEach(p -> byParent.computeIfAbsent(p, k -> new ArrayList<>()).add(n));
        }
        byParent.forEach((p, kids) -> {
            long all = nodes.values().stream().filter(n -> n.parents.contains(p)).count();
            if (kids.size() >= 2 && kids.size() == all && kids.stream().allMatch(k -> k.reading.client())) {
                kids.forEach(k -> {
                    k.state = "consequence";
                    k.why = "slower only as " + p + "'s client sees it, like all " + all + " downstreams of " + p;
                });
                WalkNode parent = nodes.get(p);
                parent.explanation = "all " + all + " of its downstreams are slower as its own client sees them, none on its server side: "
                        + "it is " + p + " itself (e.g. saturated)";
            }
        });
    }
}
