package dev.rootcause.diagnosis;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * @param recorded    the backend's answers as received, for exporting the diagnosis as a rule test; not
 *                    part of the report's JSON
 */
public record Evidence(String step, String type, String kind, String source, String query, Instant windowStart,
        Instant windowEnd, Status status, String reason, Map<String, Object> values, String link,
        @JsonIgnore List<Recorded> recorded) {

    /**
     * One backend answer, kept so the diagnosis can be exported as a rule test (the rule-test registry,
     * {@code dev.rootcause.ruletest.RecordingFamilies}, turns each family's answers into its recording file).
     *
     * @param query      the query or request as sent; equal to the evidence's {@code query} when the answer is the
     *                   evidence's own (stored answers are given back to their evidence by it)
     * @param series     the answer in the shape its family chose (JSON-friendly maps); for {@code metric}, the
     *                   Prometheus API's matrix ({@code [{"metric": {...}, "values": [[unixSeconds, "value"], ...]}]}),
     *                   which the report's chart also reads; no other family uses a {@code values} key
     * @param capability the recording family of the backend that answered: its evidence kind ({@code metric},
     *                   {@code probe}, {@code cache}, {@code trace}, {@code log}, {@code change}), or {@code item}
     *                   for item history (Zabbix) whose evidence is of kind {@code metric}; null in answers stored
     *                   before families were named, which were Prometheus answers
     */
    public record Recorded(String query, List<Map<String, Object>> series, String capability) {
    }

    /** This evidence with {@code more} answers recorded after those it has. */
    public Evidence withRecorded(List<Recorded> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<Recorded> all = new ArrayList<>(recorded);
        all.addAll(more);
        return new Evidence(step, type, kind, source, query, windowStart, windowEnd, status, reason, values, link, all);
    }

    /** Evidence with nothing recorded. */
    public Evidence(String step, String type, String kind, String source, String query, Instant windowStart,
            Instant windowEnd, Status status, String reason, Map<String, Object> values, String link) {
        this(step, type, kind, source, query, windowStart, windowEnd, status, reason, values, link, List.of());
    }

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
        // keep the runner's order (before, after, ...) for people reading the report
        values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        recorded = recorded == null ? List.of() : List.copyOf(recorded);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /** Evidence for a step that did not run because a step it needs did not succeed. */
    public static Evidence skipped(String step, String type, String kind, String reason) {
        return new Evidence(step, type, kind, null, null, null, null, Status.SKIPPED, reason, Map.of(), null);
    }
}
