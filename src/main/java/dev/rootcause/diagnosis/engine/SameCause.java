package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether two supported findings of different rules describe one cause, from what they carry: the same cause text
 * (whitespace and case aside), or the same layer and the same target named by their cited evidence. A target is
 * what a step that identifies one found: the component a {@code graph.walk} blamed ({@code blamed}), or the change
 * event a {@code changes.latest} found ({@code id}). Latency and error walks down one graph that end at the same
 * component, or a deploy rule and a latency rule reading the same change, are then one cause seen twice.
 *
 * @param target "component payment", "change 42", or null when no cited evidence names one
 * @param kinds  the evidence kinds its cited evidence that answered brings (a walk's agreeing kinds, else each
 *               step's kind): how many independent kinds agree on it
 */
public record SameCause(String target, Set<String> kinds) {

    /** Nothing known: no target, no kinds (findings compared by cause text only). */
    public static final SameCause UNKNOWN = new SameCause(null, Set.of());

    public SameCause {
        kinds = Set.copyOf(kinds);
    }

    /** @param steps the finding's rule's evidence by step id */
    static SameCause of(Finding f, Map<String, Evidence> steps) {
        String target = null;
        Set<String> kinds = new LinkedHashSet<>();
        for (String step : f.cites()) {
            Evidence e = steps.get(step);
            if (e == null || !e.ok()) {
                continue;
            }
            if (e.values().get("agreeing_kinds") instanceof String agreeing && !agreeing.isEmpty()) {
                kinds.addAll(List.of(agreeing.split(",")));
            } else {
                kinds.add(e.kind());
            }
            if (target == null && Boolean.TRUE.equals(e.values().get("found"))) {
                if ("graph.walk".equals(e.type()) && e.values().get("blamed") instanceof String c && !c.isEmpty()) {
                    target = "component " + c;
                } else if ("changes.latest".equals(e.type()) && e.values().get("id") instanceof String id && !id.isEmpty()) {
                    target = "change " + id;
                }
            }
        }
        return new SameCause(target, kinds);
    }

    /**
     * How {@code a} and {@code b} name one cause ("the same cause text", "both blame component payment in the
     * dependency layer"), or null when they do not.
     */
    static String how(Finding a, SameCause ia, Finding b, SameCause ib) {
        if (a.cause() != null && b.cause() != null && normal(a.cause()).equals(normal(b.cause()))) {
            return "the same cause text";
        }
        if (ia.target() != null && ia.target().equals(ib.target()) && a.layer() == b.layer()) {
            return "both blame " + ia.target() + " in the " + a.layer().wire() + " layer";
        }
        return null;
    }

    private static String normal(String cause) {
        return cause.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
