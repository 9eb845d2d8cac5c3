package dev.rootcause.diagnosis;

import java.time.Instant;
import java.util.Map;

/**
 * What a diagnosis is about: the alert's labels and annotations and the times that frame the evidence.
 *
 * @param startsAt when the symptom began (the alert's startsAt, or now − window on demand)
 * @param now      when the diagnosis runs
 */
public record AlertContext(String title, Map<String, String> labels, Map<String, String> annotations,
        Instant startsAt, Instant now) {

    public AlertContext {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
