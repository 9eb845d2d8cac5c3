package dev.rootcause.alert.reading;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * One symptom read from an alert and why.
 *
 * @param symptom the symptom
 * @param from    which part of the alert said so
 * @param reason  one line for people naming what was seen, e.g. {@code histogram_quantile over
 *                http_server_requests_seconds_bucket} or {@code word "slow" in the alert name}
 */
public record SymptomReading(Symptom symptom, From from, String reason) {

    public SymptomReading {
        Objects.requireNonNull(symptom, "symptom");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(reason, "reason");
    }

    /** Where a symptom was read, in the order the reader trusts them. */
    public enum From {
        /** A label or annotation the operator set to pin the symptom. */
        LABEL,
        /** The alert's own expression (Alertmanager's {@code generatorURL}, {@code g0.expr}). */
        EXPRESSION,
        /** Whole words of the alert name, summary or description. */
        WORDS;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return wire();
        }
    }
}
