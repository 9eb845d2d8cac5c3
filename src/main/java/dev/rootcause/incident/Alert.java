package dev.rootcause.incident;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.rootcause.support.WireValues;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One alert as Alertmanager (or Grafana) describes it.
 *
 * @param fingerprint  the sender's fingerprint, kept as sent (never recomputed)
 * @param status       firing or resolved
 * @param labels       identifying labels, e.g. {@code alertname}, {@code service}, {@code severity}
 * @param annotations  descriptive text, e.g. {@code summary}, {@code runbook_url}; values may be long
 * @param startsAt     when the alert started firing
 * @param endsAt       when it ended, or null when it has not (Alertmanager sends
 *                     {@code 0001-01-01T00:00:00Z} for "not ended")
 * @param generatorUrl link to the expression that produced the alert, or null
 */
public record Alert(String fingerprint, Status status, Map<String, String> labels,
        Map<String, String> annotations, Instant startsAt, Instant endsAt, String generatorUrl) {

    /**
     * Whether the alert fires, as its sender says. Wire values (webhooks, the API, the {@code incident_alert}
     * table): {@code firing}, {@code resolved}.
     */
    public enum Status {
        FIRING, RESOLVED;

        /** The value in webhooks, JSON and the database: {@code firing} or {@code resolved}. */
        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The wire value, so text built by concatenation reads as before. */
        @Override
        public String toString() {
            return wire();
        }

        /**
         * @throws IllegalArgumentException for any other value, naming the allowed ones
         */
        @JsonCreator
        public static Status of(String wire) {
            return WireValues.parse(Status.class, "alert status", wire, Status::wire);
        }
    }

    public Alert {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startsAt, "startsAt");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    public boolean firing() {
        return status == Status.FIRING;
    }

    public Optional<String> label(String name) {
        return Optional.ofNullable(labels.get(name));
    }
}
