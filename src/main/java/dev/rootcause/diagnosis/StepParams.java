package dev.rootcause.diagnosis;

import dev.rootcause.rule.Durations;
import java.util.Map;
import java.util.Set;

/** Checks of a step's {@code with:} parameters, shared by the step runners. */
public final class StepParams {

    private StepParams() {
    }

    /**
     * @throws IllegalArgumentException naming an unknown key, a missing required key, or a required key
     *                                  that is not a non-empty string
     */
    public static void keys(Map<String, Object> with, Set<String> allowed, Set<String> required) {
        for (String key : with.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(key + ": unknown parameter (known: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
        for (String key : required) {
            Object v = with.get(key);
            if (!(v instanceof String s) || s.isBlank()) {
                throw new IllegalArgumentException(key + ": required, a non-empty string");
            }
        }
    }

    /** A positive duration ({@code 30m}) when present. */
    public static void duration(Map<String, Object> with, String key) {
        Object v = with.get(key);
        if (v != null) {
            try {
                Durations.parse(String.valueOf(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage());
            }
        }
    }

    /** One of the given values when present. */
    public static void oneOf(Map<String, Object> with, String key, Set<String> values) {
        Object v = with.get(key);
        if (v != null && !values.contains(String.valueOf(v))) {
            throw new IllegalArgumentException(key + ": expected one of " + values + ", got " + v);
        }
    }
}
