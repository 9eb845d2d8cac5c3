package dev.rootcause.diagnosis.step.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The walk's tests on the edges between a caller and its downstreams, read from each caller's client side of its calls
 * ({@link WalkNode#edges}) beside each component's own server side:
 * <ul>
 * <li><b>the network</b>: calls to X slowed as a caller sees them while X's own server side did not — the delay is on
 * the way (the network path, X's pod network), not in X's work. X is the suspect, with that explanation.</li>
 * <li><b>the share</b>: a downstream explains its caller only when what it added is at least {@link #MIN_SHARE} of the
 * caller's own rise ({@link #share}). Sequential calls add, so the added latencies are compared as they are, in
 * seconds; a rise deep down that is a sliver of its caller's (11→63 ms under 0.47→4.5 s) does not explain it, and the
 * caller's own anomaly stands.</li>
 * </ul>
 * For error ratios the shares are of ratios, which add too (a failed call fails at most one request of the caller),
 * so the same test applies.
 */
final class EdgeChecks {

    /**
     * The least share of its caller's rise a downstream must add to explain it. Chosen on the Online Boutique replay
     * alone (BENCHMARKS.md, Nezha: 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5 gave top-1 34, 35, 36, 34, 33, 29, 25 of 42),
     * then fixed for Train Ticket. The sliver it exists for (11→63 ms under 0.47→4.5 s) is about 1 %.
     */
    static final double MIN_SHARE = 0.2;

    /**
     * A caller's view of the calls must rise at least this many times the callee's own rise to put it on the way
     * (1.5, 2 and 3 tried on Online Boutique: 33, 33, 32 of 42).
     */
    static final double NETWORK_GAP = 2.0;

    private EdgeChecks() {
    }

    /** after − before, NaN when not measured. */
    static double rise(Reading r) {
        return r == null || !r.measured() ? Double.NaN : r.after() - r.before();
    }

    /** The rise of the calls into {@code p} as its callers see them (the worst), NaN when none is measured. */
    static double incoming(WalkNode p) {
        return p.edges.values().stream().mapToDouble(EdgeChecks::rise).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
    }

    /** A component's rise on its own server side (NaN when it has none: read from its callers only). */
    static double own(WalkNode n) {
        Reading r = n.server != null ? n.server : n.reading;
        return r == null || r.client() ? Double.NaN : rise(r);
    }

    /**
     * The share of {@code caller}'s rise that {@code c} carries, measured like with like, the larger of: the rise of
     * the caller's calls to {@code c} over the rise of the calls into the caller (both client side; the caller's own
     * rise when nothing calls it, e.g. the alert's target), and {@code c}'s own server-side rise over the caller's.
     * Mixing the two would compare a mean with a p99. NaN when neither can be formed or the caller did not rise by
     * either measure (nothing to share).
     */
    static double share(WalkNode c, WalkNode caller) {
        double out = Double.NaN;
        double edge = rise(c.edges.get(caller.name));
        double in = caller.edges.isEmpty() ? own(caller) : incoming(caller);
        if (!Double.isNaN(edge) && in > 0) {
            out = Math.max(0, edge) / in;
        }
        double mine = own(c);
        double theirs = own(caller);
        if (!Double.isNaN(mine) && theirs > 0) {
            out = Double.isNaN(out) ? Math.max(0, mine) / theirs : Math.max(out, Math.max(0, mine) / theirs);
        }
        return out;
    }

    /** Whether {@code c}'s rise is a meaningful share of {@code caller}'s: at least {@link #MIN_SHARE}, or nothing to share. */
    static boolean explains(WalkNode c, WalkNode caller) {
        double s = share(c, caller);
        return Double.isNaN(s) || s >= MIN_SHARE;
    }

    /** {@code 2 %}: how a report words the share. */
    static String percent(WalkNode c, WalkNode caller) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * share(c, caller));
    }

    /**
     * The worst caller's view of calls to {@code n} when it rose while {@code n}'s own server side did not: the edge's
     * reading, else null. {@code n} must have a server-side reading.
     */
    static Map.Entry<String, Reading> network(WalkNode n, double minRatio, double minAfter) {
        if (n.reading == null || n.reading.client() || n.reading.anomalous(minRatio, minAfter)) {
            return null;
        }
        double own = Math.max(0, rise(n.reading));
        return n.edges.entrySet().stream().filter(e -> e.getValue().anomalous(minRatio, minAfter) && rise(e.getValue()) > NETWORK_GAP * own)
                .max(Comparator.comparingDouble(e -> rise(e.getValue()))).orElse(null);
    }

    /** Whether {@code c} is {@code p} or above it on the walk (an edge to it is a cycle). */
    static boolean ancestor(WalkNode c, WalkNode p, Map<String, WalkNode> nodes) {
        List<WalkNode> todo = new ArrayList<>(List.of(p));
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            WalkNode n = todo.remove(todo.size() - 1);
            if (n == c) {
                return true;
            }
            if (seen.add(n.name)) {
                n.parents.forEach(x -> todo.add(nodes.get(x)));
            }
        }
        return false;
    }

    /**
     * A caller of this level's frontier that also calls a component met earlier (a sibling): when that component is
     * anomalous (or was a sliver of another caller's rise) and carries a meaningful share of this caller's rise, the
     * caller is explained by it and not blamed; a sliver elsewhere is a cause here.
     */
    static void crossEdges(Map<String, List<String>> cross, Map<String, WalkNode> nodes, GraphWalk.Request r) {
        cross.forEach((callee, callers) -> {
            WalkNode c = nodes.get(callee);
            for (String p : callers) {
                WalkNode caller = nodes.get(p);
                boolean rose = c.edges.containsKey(p) ? c.edges.get(p).anomalous(r.minRatio(), r.minAfter()) : c.state.equals("anomalous");
                if ((c.state.equals("anomalous") || c.state.equals("small")) && rose && EdgeChecks.explains(c, caller)) {
                    caller.explainedBy.add(callee);
                    c.state = "anomalous";
                }
            }
        });
    }

    /**
     * Two or more downstreams of one caller, all anomalous (or rising by a sliver of its rise) only as its client sees
     * them: the caller is what is slow.
     */
    static void uniform(List<WalkNode> anomalous, Map<String, WalkNode> nodes) {
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
                        + "it is " + p + " itself (e.g. saturated, or its pod network)";
            }
        });
    }
}
