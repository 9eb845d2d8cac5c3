package dev.rootcause.diagnosis;

import dev.rootcause.alert.reading.AlertReading;
import java.time.Instant;
import java.util.Map;

/**
 * What a diagnosis is about: the alert's labels and annotations and the times that frame the evidence.
 *
 * @param startsAt when the symptom began (the alert's startsAt, or now − window on demand)
 * @param now      when the diagnosis runs
 * @param onDemand a person asked ({@code /diagnose}): the whole window up to now is "after"
 * @param reading  how the alert was read (symptoms, target); {@link AlertReading#NOTHING} when it was not
 * @param group    the group the alert stands for (size, truncation, labels that vary, the sender's clock skew);
 *                 {@link AlertGroup#SINGLE} when unknown (null in reports stored before it existed reads as that)
 */
public record AlertContext(String title, Map<String, String> labels, Map<String, String> annotations,
        Instant startsAt, Instant now, boolean onDemand, AlertReading reading, AlertGroup group) {

    /** The context of a lone alert, read as {@code reading}. */
    public AlertContext(String title, Map<String, String> labels, Map<String, String> annotations,
            Instant startsAt, Instant now, boolean onDemand, AlertReading reading) {
        this(title, labels, annotations, startsAt, now, onDemand, reading, AlertGroup.SINGLE);
    }

    /** The context of an alert that was not read. */
    public AlertContext(String title, Map<String, String> labels, Map<String, String> annotations,
            Instant startsAt, Instant now, boolean onDemand) {
        this(title, labels, annotations, startsAt, now, onDemand, AlertReading.NOTHING);
    }

    /** The context of an alert (not on demand). */
    public AlertContext(String title, Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
            Instant now) {
        this(title, labels, annotations, startsAt, now, false);
    }

    public AlertContext {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        reading = reading == null ? AlertReading.NOTHING : reading;
        group = group == null ? AlertGroup.SINGLE : group;
    }

    /** The same alert read as {@code reading}. */
    public AlertContext withReading(AlertReading reading) {
        return new AlertContext(title, labels, annotations, startsAt, now, onDemand, reading, group);
    }

    /** The same alert standing for {@code group}. */
    public AlertContext withGroup(AlertGroup group) {
        return new AlertContext(title, labels, annotations, startsAt, now, onDemand, reading, group);
    }
}
