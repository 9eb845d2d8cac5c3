package dev.rootcause.diagnosis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The group an alert stands for, and what we know of its sender's clock.
 *
 * @param alertCount      the group's alerts stored for the incident (distinct fingerprints); 1 for a lone alert
 * @param truncatedAlerts alerts the sender left out of its latest notification (Alertmanager's {@code truncatedAlerts},
 *                        set by the receiver's {@code max_alerts})
 * @param varying         label name → its distinct values across the group's alerts, sorted, for the labels whose
 *                        values differ (pods, nodes, instances); empty when the alerts share every label
 * @param skewSeconds     how far the sender's clock is ahead of ours, in seconds: the alert's {@code startsAt} lay
 *                        this far after we received it; 0 when no skew was seen (a sender behind us cannot be told
 *                        from a late delivery)
 * @param sentStartsAt    the {@code startsAt} as sent when skew moved the diagnosis' anchor to our receipt time, else null
 */
public record AlertGroup(int alertCount, int truncatedAlerts, Map<String, List<String>> varying, long skewSeconds,
        Instant sentStartsAt) {

    /** A lone alert with nothing known of its group (on demand, rule tests, reports stored before groups were kept). */
    public static final AlertGroup SINGLE = new AlertGroup(1, 0, Map.of(), 0, null);

    /** Skew smaller than this is delivery jitter and NTP drift, not worth a line (Alertmanager's group_wait is 30 s). */
    public static final Duration SKEW_TOLERANCE = Duration.ofSeconds(30);

    public AlertGroup {
        varying = varying == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(varying));
        if (alertCount < 0 || truncatedAlerts < 0) {
            throw new IllegalArgumentException("alertCount and truncatedAlerts must not be negative: " + alertCount + ", " + truncatedAlerts);
        }
    }

    /** The alerts the sender had: those stored and those it left out. */
    public int total() {
        return alertCount + truncatedAlerts;
    }

    /**
     * The labels that differ across alerts' label maps: name → sorted distinct values, for names whose values are
     * not all equal (a label some alerts lack counts as differing).
     */
    public static Map<String, List<String>> varying(List<Map<String, String>> labelSets) {
        Map<String, java.util.TreeSet<String>> values = new TreeMap<>();
        labelSets.forEach(l -> l.forEach((k, v) -> values.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(v)));
        Map<String, List<String>> out = new TreeMap<>();
        values.forEach((k, v) -> {
            boolean everywhere = labelSets.stream().allMatch(l -> l.containsKey(k));
            if (v.size() > 1 || !everywhere && labelSets.size() > 1) {
                out.put(k, List.copyOf(v));
            }
        });
        return out;
    }
}
