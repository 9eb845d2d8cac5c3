package dev.rootcause.diagnosis;

import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.diagnosis.port.MetricsSource;
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
     * One backend answer: the query as sent and the series returned, in the Prometheus API's matrix
     * shape ({@code [{"metric": {...}, "values": [[unixSeconds, "value"], ...]}]}); for
     * {@code capability} {@code probes}, the URL probed and one entry in {@code probes.json}'s shape.
     *
     * @param capability which rule-test recording file the answer belongs in: {@code prometheus} or {@code probes}
     */
    public record Recorded(String query, List<Map<String, Object>> series, String capability) {

        /** A Prometheus answer. */
        public Recorded(String query, List<Map<String, Object>> series) {
            this(query, series, "prometheus");
        }

        /**
         * A dependency probe, as {@code probes.json} holds it: {@code url}, {@code outcome}, {@code code},
         * {@code latency_ms}, {@code attempts}, {@code error}.
         */
        public static Recorded probe(HttpProber.ProbeResult r) {
            Map<String, Object> entry = new java.util.LinkedHashMap<>();
            entry.put("url", r.url());
            entry.put("outcome", r.outcome().wire());
            entry.put("code", r.statusCode());
            entry.put("latency_ms", r.latencyMillis());
            entry.put("attempts", r.attempts());
            entry.put("error", r.error());
            return new Recorded(r.url(), List.of(entry), "probes");
        }

        /** The series of a {@link MetricsSource.Result} in matrix shape; values as Prometheus writes them. */
        public static Recorded of(String query, MetricsSource.Result result) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (MetricsSource.Series s : result.series()) {
                List<List<Object>> points = new ArrayList<>();
                for (int i = 0; i < s.times().size(); i++) {
                    Instant t = s.times().get(i);
                    double v = s.values()[i];
                    String text = Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : Double.toString(v);
                    points.add(List.of(t.getEpochSecond() + t.getNano() / 1e9, text));
                }
                out.add(Map.of("metric", s.labels(), "values", points));
            }
            return new Recorded(query, out);
        }
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
