package dev.rootcause.diagnosis.step;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.rule.Durations;
import dev.rootcause.rule.Rule;
import java.time.Duration;
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

    /** {@code steps.<id>.time}: an instant another step produced (e.g. the deploy time of {@code changes.latest}). */
    private static final java.util.regex.Pattern STEP_TIME = java.util.regex.Pattern.compile("steps\\.([a-zA-Z_][a-zA-Z0-9_]*)\\.time");

    /** {@code at} when present: {@code alert.startsAt}, {@code now} or {@code steps.<id>.time}. */
    public static void at(Map<String, Object> with) {
        Object v = with.get("at");
        if (v != null && !Set.of("alert.startsAt", "now").contains(String.valueOf(v)) && !STEP_TIME.matcher(String.valueOf(v)).matches()) {
            throw new IllegalArgumentException("at: expected alert.startsAt, now or steps.<id>.time, got " + v);
        }
    }

    /**
     * Resolves {@code at}: the alert's start, now, or the {@code time} value (RFC 3339) of a step this one
     * {@code needs}.
     *
     * @param fallback {@code alert.startsAt} or {@code now}, used when {@code at} is absent
     * @throws NoTime               when the step ran fine but found nothing (e.g. no deploy): the caller is skipped
     * @throws IllegalStateException when {@code at} names a step that is not among the needs
     */
    public static java.time.Instant at(Map<String, Object> with, AlertContext alert, Map<String, Evidence> previous, String fallback) {
        String at = String.valueOf(with.getOrDefault("at", fallback));
        if (at.equals("now")) {
            return alert.now();
        }
        if (at.equals("alert.startsAt")) {
            return alert.startsAt();
        }
        var m = STEP_TIME.matcher(at);
        if (!m.matches()) {
            throw new IllegalStateException("at: " + at + " is not alert.startsAt, now or steps.<id>.time");
        }
        Evidence e = previous.get(m.group(1));
        if (e == null) {
            throw new IllegalStateException("at: " + at + " reads step " + m.group(1) + ", which this step does not list in needs");
        }
        Object time = e.values().get("time");
        if (!(time instanceof String text) || text.isEmpty()) {
            throw new NoTime("step " + m.group(1) + " found nothing to take a time from (" + e.reason() + ")");
        }
        return java.time.Instant.parse(text);
    }

    /** {@code at} names a step that found nothing to anchor on: the step asking is {@code skipped}, not failed. */
    public static final class NoTime extends IllegalStateException {
        NoTime(String message) {
            super(message);
        }
    }

    /** Evidence for a step whose {@code at} could not be resolved: skipped when there is nothing to anchor on, else an error. */
    public static Evidence atFailed(Rule.Step step, StepRunner runner, String source, RuntimeException e) {
        return new Evidence(step.id(), runner.type(), runner.kind(), source, null, null, null,
                e instanceof NoTime ? Evidence.Status.SKIPPED : Evidence.Status.ERROR, e.getMessage(), Map.of(), null);
    }

    /** The step's duration parameter {@code key}, or {@code fallback} (same syntax, e.g. {@code 30m}) when absent. */
    public static Duration duration(Rule.Step step, String key, String fallback) {
        Object v = step.with().get(key);
        return Durations.parse(v == null ? fallback : String.valueOf(v));
    }

    /** An integer parameter within bounds. @throws IllegalArgumentException naming the key */
    public static int integer(Map<String, Object> with, String key, int fallback, int min, int max) {
        Object v = with.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = v instanceof Number num && num.doubleValue() == num.intValue() ? num.intValue() : Integer.parseInt(String.valueOf(v));
            if (n < min || n > max) {
                throw new IllegalArgumentException(key + ": must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected an integer, got " + v);
        }
    }
}
