package dev.rootcause.source.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsBackend;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link dev.rootcause.diagnosis.port.MetricsSource} on Datadog's metrics query API ({@code GET /api/v1/query}),
 * selected by {@code rootcause.sources.metrics.kind=datadog}. It speaks Datadog's query language: the shipped rules
 * read it through the {@code datadog} metric convention ({@code rules/conventions.yaml}, APM trace metrics
 * {@code trace.*}); a PromQL query (a rule step that writes PromQL, the graph walk's combined queries) is refused with
 * evidence {@code error} saying so, never sent.
 *
 * <p>Range queries leave the rollup to Datadog (it picks the interval from the window: 20 s for an hour, 5 min for a
 * day; the answer's {@code interval} is reported as the step). An instant query reads the last 5 minutes and keeps
 * each series' last point, as Prometheus' lookback would.
 */
@ApplicationScoped
@Typed({DatadogMetricsSource.class, MetricsBackend.class})
@LookupIfProperty(name = "rootcause.sources.metrics.kind", stringValue = "datadog")
public class DatadogMetricsSource implements MetricsBackend {

    /** What an instant query looks back over (Prometheus' default lookback delta). */
    static final Duration LOOKBACK = Duration.ofMinutes(5);

    private final DatadogClient client;

    DatadogMetricsSource(DatadogConfig config, ObjectMapper json, Clock clock) {
        this.client = new DatadogClient(config, json, clock);
    }

    @Override
    public String name() {
        return "datadog";
    }

    @Override
    public String language() {
        return "datadog";
    }

    @Override
    public String render(String template, Map<String, String> vars) throws MetricsSourceException {
        refusePromQl(template);
        return DatadogQueries.render(template, vars);
    }

    @Override
    public Result range(String query, Instant start, Instant end, Duration step) throws MetricsSourceException {
        refusePromQl(query);
        JsonNode body = client.call(api -> api.query(start.getEpochSecond(), end.getEpochSecond(), query), MetricsSourceException::new);
        long interval = 0;
        for (JsonNode s : body.path("series")) {
            interval = Math.max(interval, s.path("interval").asLong(0));
        }
        // Datadog aligns points to its rollup interval: one may start before the window asked for; keep the window
        List<Series> inWindow = new ArrayList<>();
        for (Series s : DatadogQueries.series(body)) {
            List<Instant> times = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < s.times().size(); i++) {
                if (!s.times().get(i).isBefore(start.minusSeconds(interval)) && !s.times().get(i).isAfter(end)) {
                    times.add(s.times().get(i));
                    values.add(s.values()[i]);
                }
            }
            inWindow.add(new Series(s.labels(), times, values.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return new Result(inWindow, interval > 0 ? Duration.ofSeconds(interval) : step, List.of());
    }

    @Override
    public Result instant(String query, Instant at) throws MetricsSourceException {
        Result r = range(query, at.minus(LOOKBACK), at, Duration.ofMinutes(1));
        List<Series> last = new ArrayList<>();
        for (Series s : r.series()) {
            for (int i = s.values().length - 1; i >= 0; i--) {
                if (!Double.isNaN(s.values()[i])) {
                    last.add(new Series(s.labels(), List.of(s.times().get(i)), new double[] {s.values()[i]}));
                    break;
                }
            }
        }
        return new Result(last, null, r.warnings());
    }

    /** Not offered: Datadog lists tag values per metric only with metrics_read on another API; completion offers nothing. */
    @Override
    public List<String> labelValues(String label, List<String> match, Instant start, Instant end) throws MetricsSourceException {
        throw new MetricsSourceException(Evidence.Status.SKIPPED, "label values are not read from Datadog");
    }

    /** Datadog's Metrics Explorer over the window (the query itself is in the evidence, to paste). */
    @Override
    public String link(String query, Instant start, Instant end) {
        return client.config().appUrl() + "/metric/explorer?from_ts=" + start.toEpochMilli() + "&to_ts=" + end.toEpochMilli() + "&live=false";
    }

    private static void refusePromQl(String query) throws MetricsSourceException {
        if (DatadogQueries.isPromQl(query)) {
            throw new MetricsSourceException(Evidence.Status.ERROR,
                    "PromQL cannot be asked of Datadog (the metrics source is datadog); steps read it through the datadog convention's signals");
        }
    }
}
