package dev.rootcause.diagnosis;

import java.time.Instant;
import java.util.Map;

/**
 * What a diagnosis is about: the alert's labels and annotations and the times that frame the evidence.
 *
 * @param startsAt when the symptom began (the alert's startsAt, or now − window on demand)
 * @param now      when the diagnosis runs
 * @param onDemand a person asked ({@code /diagnose}): the whole window up to now is "after"
 */
public record AlertContext(String title, Map<String, String> labels, Map<String, String> annotations,
        Instant startsAt, Instant now, boolean onDemand) {

    /** The context of an alert (not on demand). */
    public AlertContext(String title, Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
            Instant now) {
        this(title, labels, annotations, startsAt, now, false);
    }

    public AlertContext {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
