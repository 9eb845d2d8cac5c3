package dev.rootcause.diagnosis.port;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A metrics backend speaking PromQL (Prometheus HTTP API). Queries are templates: {@code $name}
 * placeholders are filled from {@code vars} by the adapter, escaped for where they stand.
 */
public interface MetricsSource {

    /**
     * The query with placeholders filled, exactly as it would be sent.
     *
     * @throws MetricsSourceException when a value cannot be placed safely (status {@code error})
     */
    String render(String template, Map<String, String> vars) throws MetricsSourceException;

    /**
     * A range query ({@code /api/v1/query_range}).
     *
     * @param step resolution; the adapter widens it so no series exceeds 11,000 points (Prometheus' limit)
     */
    Result range(String query, Instant start, Instant end, Duration step) throws MetricsSourceException;

    /** An instant query ({@code /api/v1/query}) at {@code at}. */
    Result instant(String query, Instant at) throws MetricsSourceException;

    /**
     * Values a label takes among series matching any of {@code match} (series selectors, e.g.
     * {@code http_requests_total}) between {@code start} and {@code end}: what service completion offers
     * ({@code /api/v1/label/<name>/values}). Sorted as the backend returns them (Prometheus: ascending).
     *
     * @param label a label name ({@code [a-zA-Z_][a-zA-Z0-9_]*})
     * @param match series selectors; empty means all series
     * @param start start of the range the series must have samples in; null leaves it to the backend (Prometheus:
     *              its whole retention)
     * @param end   end of that range; null: the backend's default (now)
     * @throws MetricsSourceException when the label name is invalid or the backend fails
     */
    List<String> labelValues(String label, List<String> match, Instant start, Instant end) throws MetricsSourceException;

    /** A link to the backend's graph page for a query over a window. */
    String link(String query, Instant start, Instant end);

    /** The backend's name for evidence, e.g. {@code prometheus}. */
    String name();

    /**
     * The query language the backend speaks: {@code promql} (Prometheus and its kin) or {@code datadog} (Datadog's
     * metric query syntax, {@code sum:trace.http.request.hits{service:checkout}.as_count()}). Metric conventions of
     * another language are neither detected nor asked ({@code rules/conventions.yaml}, {@code language:}).
     */
    default String language() {
        return PROMQL;
    }

    /** {@link #language()} of PromQL backends. */
    String PROMQL = "promql";

    /**
     * @param step     the resolution actually used (range queries), or null
     * @param warnings the backend's warnings, carried into evidence
     */
    record Result(List<Series> series, Duration step, List<String> warnings) {
        public Result {
            series = List.copyOf(series);
            warnings = List.copyOf(warnings);
        }
    }

    /** One series; values may be NaN or ±Inf as Prometheus returned them. Times in UTC. */
    record Series(Map<String, String> labels, List<Instant> times, double[] values) {
    }
}
