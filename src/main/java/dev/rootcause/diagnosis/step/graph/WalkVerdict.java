package dev.rootcause.diagnosis.step.graph;

import dev.rootcause.diagnosis.Evidence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whom a walk blames: the deepest anomalous component whose own downstreams are all normal (or unchecked), or whose
 * anomaly has its own explanation (its own saturation, a change, a failing probe, or the network on the way to it:
 * {@link EdgeChecks}); a downstream whose rise is a sliver of its caller's is not blamed; among equally deep ones the one with more anomalous callers (fan-in), then the
 * larger rise. Without one, the component a trace step singled out when nothing measured it (or when the graph knows
 * no downstream of the target); else the target itself when its own saturation explains the symptom or when it rose and
 * nothing below it carries a meaningful share of the rise.
 */
final class WalkVerdict {

    private WalkVerdict() {
    }

    /** The walk's result from the components it met. */
    static WalkResult of(WalkNode root, Map<String, WalkNode> nodes, GraphWalk.Request r, List<String> queries,
            List<Evidence.Recorded> recorded, int depth, List<String> problems, long backendMillis) {
        WalkNode blamed = nodes.values().stream()
                .filter(n -> n.depth > 0 && blameable(n, nodes))
                .max(Comparator.comparingInt((WalkNode n) -> n.depth).thenComparingInt(n -> n.parents.size())
                        .thenComparingDouble(n -> n.reading == null ? 0 : n.reading.after() - n.reading.before()))
                .orElse(null);
        if (blamed == null && r.tracesBlame() != null) {
            // nothing measured singled out a component: the one-hop step's suspect, when no metric contradicts it
            WalkNode t = nodes.get(r.tracesBlame());
            if (t == null && nodes.size() == 1) { // the graph knows no downstream of the target: the step's edge stands for it
                t = new WalkNode(r.tracesBlame(), 1);
                t.parents.add(root.name);
                t.reading = Double.isNaN(r.hintAfter()) ? null : new Reading(r.hintBefore(), r.hintAfter(), 0, null, true);
                nodes.put(t.name, t);
                t.state = "anomalous";
                blamed = t;
            } else if (t != null && t.state.equals("unchecked")) {
                t.state = "anomalous";
                blamed = t;
            }
        }
        if (blamed == null && root.explanation != null) {
            blamed = root;
        }
        List<WalkResult.Hop> path = new ArrayList<>();
        List<String> alsoVia = new ArrayList<>();
        for (WalkNode n = blamed == null ? root : blamed; n != null; n = n.parents.isEmpty() ? null : worst(n.parents, nodes)) {
            path.add(0, new WalkResult.Hop(n.name, n.reading == null ? Double.NaN : n.reading.before(), n.reading == null ? Double.NaN
                    : n.reading.after(), n.reading != null && n.reading.client()));
        }
        if (blamed != null && blamed.parents.size() > 1) {
            blamed.parents.stream().filter(p -> !p.equals(path.get(path.size() - 2).component())).forEach(alsoVia::add);
        }
        Set<String> kinds = new LinkedHashSet<>();
        if (blamed != null && blamed != root) {
            if (blamed.reading != null) {
                kinds.add(blamed.reading.client() ? "client metrics" : "metrics");
            }
            if (blamed.name.equals(r.tracesBlame())) {
                kinds.add(r.hintKind());
            }
            if (blamed.explanation != null && blamed.explanation.startsWith("health probe")) {
                kinds.add("probe");
            }
        } else if (blamed == root) {
            kinds.add("metrics");
        }
        List<String> normal = new ArrayList<>();
        List<String> notBlamed = new ArrayList<>();
        List<String> unchecked = new ArrayList<>(problems);
        for (WalkNode n : nodes.values()) {
            String reading = n.reading == null ? "" : " " + r.signal().range(n.reading.before(), n.reading.after());
            switch (n.state) {
                case "normal" -> normal.add(n.name + reading);
                case "consequence", "daily", "small" -> notBlamed.add(n.name + reading + " (" + n.why + ")");
                case "unchecked" -> {
                    if (n != root) { // the target is the alert's: not measuring it is not a gap below it
                        unchecked.add(n.name + " (" + n.why + ")");
                    }
                }
                default -> {
                    if (n != root && n != blamed && !path.stream().anyMatch(h -> h.component().equals(n.name)) && !alsoVia.contains(n.name)) {
                        notBlamed.add(n.name + reading + (n.explanation != null ? " (" + n.explanation + ")" : !n.explainedBy.isEmpty()
                                ? " (" + String.join(", ", n.explainedBy) + " explains it)" : " (its downstreams explain it)"));
                    }
                }
            }
        }
        return new WalkResult(root.name, r.signal(), blamed == null ? null : blamed.name, path, kinds,
                blamed == null || blamed.explanation == null ? "" : blamed.explanation, alsoVia, normal, notBlamed, unchecked,
                blamed == null || blamed.reading == null ? null : blamed.reading.onset(), queries, depth, recorded, backendMillis);
    }

    /**
     * Anomalous, and with its own explanation, or with no anomalous downstream (below it, or a sibling met earlier
     * that carries a meaningful share of its rise).
     */
    static boolean blameable(WalkNode n, Map<String, WalkNode> nodes) {
        return n.state.equals("anomalous") && (n.explanation != null || n.explainedBy.isEmpty()
                && nodes.values().stream().noneMatch(c -> c.parents.contains(n.name) && c.state.equals("anomalous")));
    }

    /** The caller on the path: the most anomalous of the parents. */
    private static WalkNode worst(List<String> parents, Map<String, WalkNode> nodes) {
        return parents.stream().map(nodes::get).max(Comparator.comparingDouble(p -> p.reading == null ? Double.NEGATIVE_INFINITY
                : p.reading.after() - p.reading.before())).orElse(null);
    }
}
