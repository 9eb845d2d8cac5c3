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
        measureRoot(root, q, w, r);
        boolean unchanged = root.reading != null && !r.trustAlert() && !root.reading.anomalous(r.minRatio(), r.minAfter());
        if (root.reading != null && !unchanged) {
            root.state = "anomalous";
        }
        Instant rootOnset = root.reading != null && root.reading.onset() != null ? root.reading.onset() : r.at();
        // the target's own saturation explains every downstream looking slow from it (a deploy of it does not stop the walk)
        root.explanation = graph.downstreams(root.name).isEmpty() ? null
                : explanations.saturation(List.of(root.name), q, w, problems, false).get(root.name);
        List<WalkNode> frontier = root.explanation == null && !unchanged ? List.of(root) : List.of();
        int depth = 0;
        while (!frontier.isEmpty() && depth < r.maxDepth()) {
            depth++;
            List<WalkNode> level = new ArrayList<>();
            Map<String, List<String>> cross = new LinkedHashMap<>(); // callee met earlier → callers of this frontier
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
                    } else if (c.depth < depth && c != root && !EdgeChecks.ancestor(c, p, nodes)) {
                        cross.computeIfAbsent(c.name, k -> new ArrayList<>()).add(p.name); // a sibling met earlier
                    }
                }
            }
            if (level.isEmpty()) {
                depth--; // nothing new below the last level: it was not a level walked
                if (!cross.isEmpty()) { // but calls to siblings met earlier: do they carry their callers' rise?
                    measure(level, cross, nodes, q, w, r, problems, depth + 1);
                    EdgeChecks.crossEdges(cross, nodes, r);
                }
                break;
            }
            try {
                measure(level, cross, nodes, q, w, r, problems, depth);
            } catch (MetricsSourceException e) {
                level.forEach(n -> n.why = "Prometheus " + e.status().wire() + ": " + e.getMessage());
                problems.add("level " + depth + ": " + e.getMessage());
                break;
            }
            classify(level, nodes, rootOnset, r, q, w, problems);
            EdgeChecks.crossEdges(cross, nodes, r);
            List<WalkNode> anomalous = level.stream().filter(n -> n.state.equals("anomalous") && (n.explanation == null || n.server != null)).toList();
            EdgeChecks.uniform(level.stream().filter(n -> anomalous.contains(n) || n.state.equals("small")).toList(), nodes);
            frontier = anomalous.stream().filter(n -> n.state.equals("anomalous")).toList(); // the network suspects too: a cause below wins
        }
        if (depth == r.maxDepth()) {
            for (WalkNode n : frontier) {
                if (!graph.downstreams(n.name).isEmpty()) {
                    problems.add("below " + n.name + " (the depth limit, " + r.maxDepth() + " levels, was reached)");
                }
            }
        }
        itself(root, nodes, graph, r, q, w, problems);
        return WalkVerdict.of(root, nodes, r, q.sent(), q.recorded(), depth, problems, q.backendMillis());
    }

    /**
     * The target itself when nothing below it explains its rise: it rose beyond its noise (its alert is the symptom: no
     * least ratio), every direct downstream was measured, and no
     * component below is to blame (none rose, or by a sliver of its caller's rise). Its CPU usage rising beside it
     * is the supporting evidence, asked now (one query).
     */
    private void itself(WalkNode root, Map<String, WalkNode> nodes, DependencyGraph graph, Request r, LevelQueries q, LevelQueries.Window w,
            List<String> problems) {
        boolean below = nodes.values().stream().anyMatch(n -> n.depth > 0 && WalkVerdict.blameable(n, nodes));
        boolean measured = graph.downstreams(root.name).stream().map(e -> nodes.get(e.callee())).allMatch(n -> n != null && n.reading != null);
        if (root.explanation != null || below || !measured || root.reading == null || !root.state.equals("anomalous")
                || root.reading.after() - root.reading.before() <= Reading.NOISE_FACTOR * root.reading.noise()
                || (r.tracesBlame() != null && nodes.containsKey(r.tracesBlame()) && nodes.get(r.tracesBlame()).state.equals("unchecked"))) {
            return;
        }
        String cpu = explanations.cpu(List.of(root.name), q, w, problems).get(root.name);
        root.explanation = (cpu == null ? "" : cpu + "; ") + "no downstream carries a meaningful share of its rise ("
                + r.signal().range(root.reading.before(), root.reading.after()) + ")";
    }

    /** The target's server side, one query. */
    private void measureRoot(WalkNode root, LevelQueries q, LevelQueries.Window w, Request r) throws MetricsSourceException {
        var s = q.server(List.of(root.name), r.signal().serverSignal(), w, "").series().get(root.name);
        root.reading = s != null && Reading.of(s, r.at(), false).measured() ? Reading.of(s, r.at(), false) : null;
    }

    /**
     * Server side for every node of the level in one query; the callers' client side of every call into the level
     * (and into the siblings met earlier, {@code cross}) in a second: the reading of those without server metrics,
     * and each edge's own view for the network and share tests.
     */
    private void measure(List<WalkNode> level, Map<String, List<String>> cross, Map<String, WalkNode> nodes, LevelQueries q,
            LevelQueries.Window w, Request r, List<String> problems, int depth) throws MetricsSourceException {
        LevelQueries.Answer server = level.isEmpty() ? new LevelQueries.Answer(Map.of(), "", null)
                : q.server(level.stream().map(n -> n.name).toList(), r.signal().serverSignal(), w, "");
        Map<String, List<String>> edges = new LinkedHashMap<>();
        List<WalkNode> missing = new ArrayList<>();
        for (WalkNode n : level) {
            var s = server.series().get(n.name);
            if (s != null && Reading.of(s, r.at(), false).measured()) {
                n.reading = Reading.of(s, r.at(), false);
            } else {
                missing.add(n);
            }
            edges.put(n.name, n.parents);
        }
        edges.putAll(cross);
        LevelQueries.Answer client;
        try {
            client = q.client(edges, r.signal().clientSignal(), w);
        } catch (MetricsSourceException e) {
            if (!missing.isEmpty()) {
                throw e;
            }
            problems.add("calls into level " + depth + " as their callers see them (the network check): " + e.getMessage());
            return;
        }
        edges.forEach((callee, callers) -> {
            WalkNode n = nodes.get(callee);
            for (String p : callers) {
                var s = client.series().get(p + ">" + callee);
                Reading e = s == null ? null : Reading.of(s, r.at(), true);
                if (e != null && e.measured()) {
                    n.edges.put(p, e);
                }
            }
        });
        for (WalkNode n : missing) {
            // the worst caller's view of it
            n.reading = n.parents.stream().map(n.edges::get).filter(java.util.Objects::nonNull)
                    .max(Comparator.comparingDouble(x -> x.after() - x.before())).orElse(null);
        }
    }

    private void classify(List<WalkNode> level, Map<String, WalkNode> nodes, Instant rootOnset, Request r, LevelQueries q,
            LevelQueries.Window w, List<String> problems) {
        List<WalkNode> anomalous = new ArrayList<>();
        for (WalkNode n : level) {
            if (n.reading == null) {
                continue;
            }
            var slowWay = EdgeChecks.network(n, r.minRatio(), r.minAfter());
            if (slowWay != null) {
                n.server = n.reading;
                n.reading = slowWay.getValue();
                n.explanation = "calls to " + n.name + " slowed while " + n.name + " itself did not (" + slowWay.getKey() + "'s "
                        + r.signal().label(true) + " " + r.signal().range(n.reading.before(), n.reading.after()) + ", its own "
                        + r.signal().label(false) + " " + r.signal().range(n.server.before(), n.server.after()) + "): the network path or "
                        + n.name + "'s pod network";
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
            // the callers are anomalous, or the alert's target (its alert is the symptom): a share only of what rose
            List<WalkNode> callers = n.parents.stream().map(nodes::get).filter(p -> p.reading != null).toList();
            if (!callers.isEmpty() && callers.stream().noneMatch(p -> EdgeChecks.explains(n, p))) {
                WalkNode p = callers.get(0);
                n.state = "small";
                n.why = "added " + EdgeChecks.percent(n, p) + " of " + p.name + "'s rise: too small a share to explain it";
                continue;
            }
            n.state = "anomalous";
            if (n.explanation == null) {
                anomalous.add(n);
            }
        }
        if (r.dayBefore()) {
            explanations.daily(anomalous.stream().filter(n -> !n.reading.client()).toList(), q, w, r, problems);
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

}
