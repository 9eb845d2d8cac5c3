package dev.rootcause.diagnosis.step.graph;

import dev.rootcause.diagnosis.Evidence;
import java.util.Map;

/**
 * What a one-hop step of the same rule ({@code agree_with}) singled out: {@code traces.slowest_dependency}'s
 * {@code dependency} or {@code metrics.compare_by}'s {@code top}, when its {@code found} is true.
 *
 * @param suspect  the component it named, or null
 * @param kind     {@code traces} or {@code client metrics}
 * @param evidence the step's evidence when it ended ok, else null
 */
record Hint(String suspect, String kind, Evidence evidence) {

    static final Hint NONE = new Hint(null, "traces", null);

    /**
     * @throws IllegalStateException when {@code agree_with} names a step that is not among the needs
     */
    static Hint of(Object stepId, Map<String, Evidence> previous) {
        if (stepId == null) {
            return NONE;
        }
        Evidence e = previous.get(String.valueOf(stepId));
        if (e == null) {
            throw new IllegalStateException("agree_with: " + stepId + " is not among this step's needs");
        }
        String kind = "trace".equals(e.kind()) ? "traces" : "client metrics";
        if (!e.ok()) {
            return new Hint(null, kind, null);
        }
        Object name = "trace".equals(e.kind()) ? e.values().get("dependency") : e.values().get("top");
        boolean found = Boolean.TRUE.equals(e.values().get("found"));
        return new Hint(found && name instanceof String s && !s.isEmpty() ? s : null, kind, e);
    }

    /** The step's own sentence ({@code summary}), or "". */
    String summary() {
        return evidence == null ? "" : String.valueOf(evidence.values().getOrDefault("summary", ""));
    }
}
