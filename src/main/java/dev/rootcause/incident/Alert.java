package dev.rootcause.incident;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One alert as Alertmanager (or Grafana) describes it.
 *
 * @param fingerprint  the sender's fingerprint, kept as sent (never recomputed)
 * @param status       {@code firing} or {@code resolved}
 * @param labels       identifying labels, e.g. {@code alertname}, {@code service}, {@code severity}
 * @param annotations  descriptive text, e.g. {@code summary}, {@code runbook_url}; values may be long
 * @param startsAt     when the alert started firing
 * @param endsAt       when it ended, or null when it has not (Alertmanager sends
 *                     {@code 0001-01-01T00:00:00Z} for "not ended")
 * @param generatorUrl link to the expression that produced the alert, or null
 */
public record Alert(String fingerprint, String status, Map<String, String> labels,
        Map<String, String> annotations, Instant startsAt, Instant endsAt, String generatorUrl) {

    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";

    public Alert {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startsAt, "startsAt");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    public boolean firing() {
        return FIRING.equals(status);
    }

    public Optional<String> label(String name) {
        return Optional.ofNullable(labels.get(name));
    }
}
