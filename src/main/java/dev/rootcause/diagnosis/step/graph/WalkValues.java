package dev.rootcause.diagnosis.step.graph;

import dev.rootcause.diagnosis.Finding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The values of {@code graph.walk}'s evidence, from a walk's result. */
final class WalkValues {

    private WalkValues() {
    }

    static Map<String, Object> of(WalkResult r, Hint hint) {
        Map<String, Object> v = new LinkedHashMap<>();
        WalkResult.Hop last = r.path().get(r.path().size() - 1);
        v.put("found", r.found());
        v.put("blamed", r.blamed() == null ? "" : r.blamed());
        v.put("blamed_before", r.blamed() == null ? Double.NaN : last.before());
        v.put("blamed_after", r.blamed() == null ? Double.NaN : last.after());
        v.put("depth", (long) r.blamedDepth());
        v.put("path", r.chain());
        v.put("kinds", r.kindsText());
        v.put("agreeing_kinds", String.join(",", agreeing(r.kinds())));
        v.put("explanation", r.explanation());
        v.put("normal", String.join(", ", r.normal()));
        v.put("not_blamed", String.join(", ", r.notBlamed()));
        v.put("unchecked", String.join(", ", r.unchecked()));
        String cause = r.cause();
        if (r.found() && r.kinds().contains(hint.kind()) && !hint.summary().isEmpty()) {
            cause = cause + " " + capital(hint.kind()) + ": " + hint.summary() + ".";
            Object example = hint.evidence().values().get("example_trace");
            if (example instanceof String id && !id.isEmpty()) {
                cause = cause + " Example trace " + id + ".";
            }
        }
        v.put("cause", cause);
        v.put("summary", summary(r, hint));
        v.put("checked", (long) (r.normal().size() + r.notBlamed().size() + r.path().size() - 1 + r.alsoVia().size()));
        v.put("queries", (long) r.queries().size());
        v.put("backend_ms", r.backendMillis());
        v.put("onset", r.onset() == null ? "" : r.onset().toString());
        v.put("scope", r.found() ? Finding.SCOPE_ONE : "");
        v.put("scope_detail", r.found() ? "one component: " + r.blamed() + ", " + r.blamedDepth() + " below " + r.target() : "");
        v.put("query_text", r.queries().isEmpty() ? null : String.join("\n", r.queries()));
        return v;
    }

    /**
     * The evidence kinds of the diagnosis (metric, trace, probe) behind the report's words, sorted: the result's
     * kinds are an immutable set, whose iteration order changes from run to run.
     */
    static Set<String> agreeing(Set<String> kinds) {
        Set<String> out = new java.util.TreeSet<>();
        for (String k : kinds) {
            out.add(switch (k) {
                case "traces" -> "trace";
                case "probe" -> "probe";
                default -> "metric";
            });
        }
        return out;
    }

    private static String summary(WalkResult r, Hint hint) {
        if (r.found()) {
            return r.blamed() + ", " + r.blamedDepth() + (r.blamedDepth() == 1 ? " hop" : " hops") + " below " + r.target() + ": " + r.chain();
        }
        if (r.queries().isEmpty() && !hint.summary().isEmpty()) {
            return hint.summary();
        }
        List<String> parts = new java.util.ArrayList<>();
        parts.add(r.blamed() != null ? r.target() + " itself: " + r.explanation() : "none of the downstreams of " + r.target() + " changed on its own");
        if (!r.normal().isEmpty()) {
            parts.add("normal: " + String.join(", ", r.normal()));
        }
        if (!r.notBlamed().isEmpty()) {
            parts.add("not blamed: " + String.join(", ", r.notBlamed()));
        }
        if (!r.unchecked().isEmpty()) {
            parts.add("could not check: " + String.join(", ", r.unchecked()));
        }
        return String.join("; ", parts);
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
