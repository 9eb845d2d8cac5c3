package dev.rootcause.diagnosis;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Map;

/**
 * The raw result of one step.
 *
 * @param step        the step id in its rule
 * @param type        the step type, e.g. {@code metrics.compare}
 * @param kind        {@code metric}, {@code log}, {@code trace}, {@code change}, {@code cache} or {@code probe}
 * @param source      the backend asked, e.g. {@code prometheus}
 * @param query       the query exactly as sent, or null when nothing was sent
 * @param windowStart start of the time window looked at, or null
 * @param windowEnd   end of the time window looked at, or null
 * @param status      what happened
 * @param reason      why, when the status is not {@code ok}
 * @param values      named results, e.g. {@code before}, {@code after}, {@code ratio} (doubles; NaN when unknown)
 * @param link        a URL a person can open to see the same data, or null
 */
public record Evidence(String step, String type, String kind, String source, String query, Instant windowStart,
        Instant windowEnd, Status status, String reason, Map<String, Object> values, String link) {

    /** Outcome of a step. */
    public enum Status {
        OK, NO_DATA, ERROR, TIMEOUT, SKIPPED;

        /** The name in JSON and reports: {@code ok}, {@code no_data}, {@code error}, {@code timeout}, {@code skipped}. */
        @JsonValue
        public String wire() {
            return name().toLowerCase();
        }
    }

    public Evidence {
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /** Evidence for a step that did not run because a step it needs did not succeed. */
    public static Evidence skipped(String step, String type, String kind, String reason) {
        return new Evidence(step, type, kind, null, null, null, null, Status.SKIPPED, reason, Map.of(), null);
    }
}
