package dev.rootcause.diagnosis.step.graph;

import dev.rootcause.diagnosis.Evidence;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a walk down the dependency graph found.
 *
 * @param target      the component the walk started from (the alert's service)
 * @param signal      what it followed
 * @param blamed      the deepest anomalous component whose own downstreams are normal or whose anomaly has its own
 *                    explanation; the target itself when its own saturation explains the symptom; null when none
 * @param path        from the target down to {@code blamed}, each hop with its before → after (just the target
 *                    when nothing below it changed)
 * @param kinds       the kinds of evidence that single out {@code blamed}: {@code metrics}, {@code client metrics},
 *                    {@code traces} (the trace step named the same component), {@code probe}; empty when none
 * @param explanation the blamed component's own explanation ({@code a deploy of 2.1 at …}, {@code CPU throttled …},
 *                    {@code health probe …}), or ""
 * @param alsoVia     other anomalous callers of {@code blamed} (fan-in), by name
 * @param normal      components checked and found normal, each as {@code name before→after}
 * @param notBlamed   anomalous components not blamed, each with why (began after its caller; slow every day)
 * @param unchecked   components that could not be checked, each with why
 * @param onset       when the blamed component's anomaly began, or null
 * @param queries     every PromQL query sent, in order
 * @param depth       the depth reached (levels below the target that were measured)
 * @param recorded    the backends' answers, for rule-test replay
 * @param backendMillis milliseconds spent waiting for the metrics source's answers to {@code queries}, summed
 */
public record WalkResult(String target, WalkSignal signal, String blamed, List<Hop> path, Set<String> kinds, String explanation,
        List<String> alsoVia, List<String> normal, List<String> notBlamed, List<String> unchecked, Instant onset,
        List<String> queries, int depth, List<Evidence.Recorded> recorded, long backendMillis) {

    public WalkResult {
        path = List.copyOf(path);
        kinds = Set.copyOf(new java.util.TreeSet<>(kinds));
        alsoVia = List.copyOf(alsoVia);
        normal = List.copyOf(normal);
        notBlamed = List.copyOf(notBlamed);
        unchecked = List.copyOf(unchecked);
        queries = List.copyOf(queries);
        recorded = List.copyOf(recorded);
    }

    /**
     * One hop of the path.
     *
     * @param component the component
     * @param before    its mean before the onset (seconds or 0-1), NaN when not measured
     * @param after     its mean after
     * @param client    measured on its callers' client side
     */
    public record Hop(String component, double before, double after, boolean client) {
    }

    /** A downstream of the target is blamed. */
    public boolean found() {
        return blamed != null && !blamed.equals(target);
    }

    /** How many hops below the target the blamed component is; 0 when none or the target itself. */
    public int blamedDepth() {
        return found() ? path.size() - 1 : 0;
    }

    /** {@code traces + metrics}: the kinds, traces first, as a report writes them. */
    public String kindsText() {
        return String.join(" + ", kinds.stream().sorted((a, b) -> a.equals("traces") ? -1 : b.equals("traces") ? 1 : a.compareTo(b)).toList());
    }

    /** {@code checkout p99 0.21→1.9 s → payments 0.05→1.7 s → payments-db 3→1600 ms}. */
    public String chain() {
        StringBuilder out = new StringBuilder();
        boolean first = true;
        for (Hop h : path) {
            out.append(first ? "" : " → ").append(h.component());
            if (!Double.isNaN(h.after())) {
                out.append(first || h.client() ? " " + signal.label(h.client()) : "").append(' ').append(signal.range(h.before(), h.after()));
            }
            first = false;
        }
        return out.toString();
    }

    /** The cause as a report writes it: the path, its evidence, what was normal and what could not be checked. */
    public String cause() {
        StringBuilder out = new StringBuilder();
        String what = signal == WalkSignal.LATENCY ? "slowed" : "fails";
        if (found()) {
            out.append(blamed).append(" is the deepest component that ").append(signal == WalkSignal.LATENCY ? "slowed" : "failed")
                    .append(", ").append(blamedDepth()).append(blamedDepth() == 1 ? " hop" : " hops").append(" below ").append(target)
                    .append(": ").append(chain()).append(" (").append(kinds.isEmpty() ? "no evidence" : kindsText()).append(')');
            out.append(explanation.isEmpty() ? "; its own downstreams are normal" : "; its own explanation: " + explanation);
            if (!alsoVia.isEmpty()) {
                out.append("; also reached via ").append(String.join(", ", alsoVia)).append(" (fan-in)");
            }
        } else if (blamed != null) {
            out.append(target).append(' ').append(what).append(" on its own: ").append(explanation).append("; ").append(chain());
        } else {
            out.append("no component below ").append(target).append(" changed on its own: ").append(chain());
        }
        out.append(". ");
        out.append(list("Checked and normal", normal)).append(list("Not blamed", notBlamed)).append(list("Could not check", unchecked));
        return out.toString().trim();
    }

    private static String list(String title, List<String> items) {
        return items.isEmpty() ? "" : title + ": " + String.join(", ", items) + ". ";
    }
}
