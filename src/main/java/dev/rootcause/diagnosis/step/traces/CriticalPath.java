package dev.rootcause.diagnosis.step.traces;

import dev.rootcause.diagnosis.port.TraceSource.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The critical path of one trace and each service's self time on it.
 *
 * <p>Walking back from the root's end, the path goes into the child that finished last; the parent's
 * own time is only the part where no child is on the path. A child concurrent with the one on the path
 * is on it only for the stretch before the later child started (so two parallel calls are not both
 * blamed for the same wall time). The self time of a client span with no server span under it (an
 * uninstrumented database, a cache, network time) is blamed on the service it called.
 *
 * <p>Real traces are untidy, so: Zipkin's shared spans (a client and a server span with one id) become
 * parent and child; exact duplicates keep the longest; spans whose parent is missing hang under the root;
 * a child outside its parent (skewed clocks on different hosts) is shifted inside it, or clamped when it
 * is longer than its parent, the way Jaeger's clock-skew adjuster does; reference cycles are cut.
 */
public final class CriticalPath {

    /**
     * @param selfMicros   service → microseconds on the critical path spent in that service itself
     * @param totalMicros  the root span's duration (the sum of all self times)
     * @param rootService  the service of the root span
     */
    public record Result(Map<String, Long> selfMicros, long totalMicros, String rootService) {
    }

    /** A span in the tree; identity equality (children are added after it is hashed). */
    private static final class Node {
        final Span span;
        final List<Node> children = new ArrayList<>();

        Node(Span span) {
            this.span = span;
        }
    }

    private CriticalPath() {
    }

    /** @return the self times, or null when the trace has no spans */
    public static Result of(List<Span> spans) {
        Node root = tree(spans);
        if (root == null) {
            return null;
        }
        Map<String, Long> self = new LinkedHashMap<>();
        walk(root, 0, root.span.startMicros(), root.span.endMicros(), self, 0);
        return new Result(self, root.span.durationMicros(), root.span.service());
    }

    /** The service blamed for a span's own time. */
    static String blamed(Span s, boolean hasChildren) {
        return s.outgoing() && !hasChildren && s.peerService() != null && !s.peerService().isBlank() ? s.peerService()
                : s.service();
    }

    /**
     * @param offset micros added to the span's reported times (skew correction inherited from ancestors)
     * @param from   start of the stretch of this span on the path
     * @param to     end of that stretch
     */
    private static void walk(Node node, long offset, long from, long to, Map<String, Long> self, int depth) {
        if (depth > 10_000) {
            return; // a chain this deep is corrupt data; the cycle check should make it impossible
        }
        long pStart = node.span.startMicros() + offset;
        long pEnd = node.span.endMicros() + offset;
        List<long[]> kids = new ArrayList<>(); // {index, offset, start, end} after skew correction
        for (int i = 0; i < node.children.size(); i++) {
            Span c = node.children.get(i).span;
            long shift = offset;
            long cStart = c.startMicros() + shift;
            long cEnd = c.endMicros() + shift;
            if (c.durationMicros() <= pEnd - pStart) {
                long delta = cStart < pStart ? pStart - cStart : cEnd > pEnd ? pEnd - cEnd : 0;
                shift += delta;
                cStart += delta;
                cEnd += delta;
            } else {
                cStart = Math.max(cStart, pStart);
                cEnd = Math.min(cEnd, pEnd);
            }
            cStart = Math.max(cStart, from);
            cEnd = Math.min(cEnd, to);
            if (cEnd > cStart) {
                kids.add(new long[] {i, shift, cStart, cEnd});
            }
        }
        long cursor = to;
        long own = 0;
        while (cursor > from) {
            long[] best = null;
            for (long[] k : kids) {
                if (k[2] < cursor && (best == null || Math.min(k[3], cursor) > Math.min(best[3], cursor))) {
                    best = k;
                }
            }
            if (best == null) {
                own += cursor - from;
                break;
            }
            long end = Math.min(best[3], cursor);
            own += cursor - end;
            walk(node.children.get((int) best[0]), best[1], best[2], end, self, depth + 1);
            cursor = best[2];
            kids.remove(best);
        }
        if (own > 0) {
            self.merge(blamed(node.span, !node.children.isEmpty()), own, Long::sum);
        }
    }

    /** Builds the span tree: the root and every span reachable from it once. */
    private static Node tree(List<Span> spans) {
        // one node per (id, side): a shared Zipkin span id has a client and a server side
        Map<String, Span> unique = new LinkedHashMap<>();
        for (Span s : spans) {
            String key = s.spanId() + "/" + ("SERVER".equals(s.kind()) ? "S" : "C");
            unique.merge(key, s, (a, b) -> a.durationMicros() >= b.durationMicros() ? a : b);
        }
        if (unique.isEmpty()) {
            return null;
        }
        Map<String, Node> nodes = new HashMap<>();
        unique.forEach((k, s) -> nodes.put(k, new Node(s)));
        // the node a child with parentId X hangs under: X's server side when it has one
        Map<String, Node> byId = new HashMap<>();
        unique.forEach((k, s) -> {
            if (k.endsWith("/S") || !byId.containsKey(s.spanId())) {
                byId.put(s.spanId(), nodes.get(k));
            }
        });
        List<Node> roots = new ArrayList<>();
        Map<Node, Node> parentOf = new HashMap<>();
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            Node n = e.getValue();
            Span s = n.span;
            Node parent;
            if (e.getKey().endsWith("/S") && nodes.containsKey(s.spanId() + "/C")) {
                parent = nodes.get(s.spanId() + "/C"); // the server side of a shared span is its client's child
            } else {
                parent = s.parentId() == null || s.parentId().equals(s.spanId()) ? null : byId.get(s.parentId());
            }
            if (parent == null) {
                roots.add(n);
            } else {
                parentOf.put(n, parent);
            }
        }
        Comparator<Node> longest = Comparator.comparingLong((Node n) -> n.span.durationMicros())
                .thenComparing(n -> n.span.spanId());
        // the root: the longest span without a parent; orphans (parent never reported) hang under it
        Node root = roots.stream().filter(n -> n.span.parentId() == null).max(longest)
                .orElseGet(() -> roots.stream().max(longest).orElseGet(() -> nodes.values().stream().max(longest).orElseThrow()));
        parentOf.remove(root);
        for (Node n : roots) {
            if (n != root) {
                parentOf.put(n, root);
            }
        }
        // attach children, walking down from the root so a reference cycle cannot be entered twice
        Map<Node, List<Node>> childrenOf = new HashMap<>();
        parentOf.forEach((child, parent) -> childrenOf.computeIfAbsent(parent, p -> new ArrayList<>()).add(child));
        Set<Node> seen = new HashSet<>();
        List<Node> todo = new ArrayList<>(List.of(root));
        seen.add(root);
        while (!todo.isEmpty()) {
            Node n = todo.remove(todo.size() - 1);
            for (Node c : childrenOf.getOrDefault(n, List.of())) {
                if (seen.add(c)) {
                    n.children.add(c);
                    todo.add(c);
                }
            }
        }
        return root;
    }
}
