package dev.rootcause.ruletest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.source.datadog.DatadogQueries;
import dev.rootcause.source.metrics.PromQl;
import dev.rootcause.source.metrics.PrometheusMetricsSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link MetricsSource} that answers from recorded Prometheus responses, for rule tests. The file
 * ({@code prometheus.json}) is a list of {@code {"query": "<PromQL as sent>", "answer": <Prometheus API
 * response body>}}; a query with no recording is an error, as an unreachable Prometheus would be. An entry
 * {@code {"query": "<Datadog query>", "datadog": <GET /api/v1/query answer>}} records Datadog instead: a file with
 * one speaks Datadog's language (its conventions are the ones detected, its templates filled as Datadog's are).
 */
public final class ReplayMetricsSource implements MetricsSource {

    private final Map<String, JsonNode> answers = new HashMap<>();
    private boolean datadog;
    private boolean down;

    /**
     * @throws IOException when the file cannot be read or is not a list of recordings
     */
    public ReplayMetricsSource(Path recordings, ObjectMapper json) throws IOException {
        JsonNode list = json.readTree(recordings.toFile());
        if (!list.isArray()) {
            throw new IOException(recordings + ": expected a list of {query, answer}");
        }
        for (JsonNode r : list) {
            datadog |= r.has("datadog");
            answers.put(r.path("query").asText(), r.has("datadog") ? r.get("datadog") : r.path("answer"));
        }
        // nothing answered when it was recorded (an export of an incident with Prometheus down): down again
        down = answers.isEmpty();
    }

    /**
     * No recordings (no file, or an empty list): every query fails, as with Prometheus down (one reason for all, as a
     * refused connection gives).
     */
    public ReplayMetricsSource() {
        this.down = true;
    }

    @Override
    public String render(String template, Map<String, String> vars) throws MetricsSourceException {
        if (datadog && DatadogQueries.isPromQl(template)) {
            throw new MetricsSourceException(Evidence.Status.ERROR, "PromQL cannot be asked of Datadog (recorded answers are Datadog's)");
        }
        return datadog ? DatadogQueries.render(template, vars) : PromQl.render(template, vars);
    }

    @Override
    public Result range(String query, Instant start, Instant end, Duration step) throws MetricsSourceException {
        JsonNode answer = answer(query);
        if (datadog) {
            return new Result(DatadogQueries.series(answer), step, List.of());
        }
        return new Result(PrometheusMetricsSource.series(answer), step, PrometheusMetricsSource.warnings(answer));
    }

    @Override
    public Result instant(String query, Instant at) throws MetricsSourceException {
        JsonNode answer = answer(query);
        if (datadog) {
            // as the Datadog adapter answers an instant query: each series' last point that is a number
            List<Series> last = new java.util.ArrayList<>();
            for (Series s : DatadogQueries.series(answer)) {
                for (int i = s.values().length - 1; i >= 0; i--) {
                    if (!Double.isNaN(s.values()[i])) {
                        last.add(new Series(s.labels(), List.of(s.times().get(i)), new double[] {s.values()[i]}));
                        break;
                    }
                }
            }
            return new Result(last, null, List.of());
        }
        return new Result(PrometheusMetricsSource.series(answer), null, PrometheusMetricsSource.warnings(answer));
    }

    /** Recorded as a query {@code label_values(<label>)}; the answer's {@code data} is the list. */
    @Override
    public List<String> labelValues(String label, List<String> match, Instant start, Instant end) throws MetricsSourceException {
        List<String> out = new java.util.ArrayList<>();
        answer("label_values(" + label + ")").path("data").forEach(v -> out.add(v.asText()));
        return out;
    }

    @Override
    public String link(String query, Instant start, Instant end) {
        return null;
    }

    @Override
    public String name() {
        return datadog ? "datadog" : "prometheus";
    }

    @Override
    public String language() {
        return datadog ? "datadog" : PROMQL;
    }

    private JsonNode answer(String query) throws MetricsSourceException {
        if (down) {
            throw new MetricsSourceException(Evidence.Status.ERROR, "Prometheus down (no answer recorded)");
        }
        JsonNode answer = answers.get(query);
        if (answer == null) {
            throw new MetricsSourceException(Evidence.Status.ERROR, "no recorded answer for query: " + query);
        }
        return answer;
    }

    /** {@code prometheus.json}, or none: Prometheus down. Signals resolve over it once the runner adds a resolver. */
    public static StepPorts replay(Path file, ObjectMapper json, StepPorts ports) throws IOException {
        return ports.withMetrics(file == null ? new ReplayMetricsSource() : new ReplayMetricsSource(file, json), null);
    }

    /**
     * One entry per distinct query, its first answer in the Prometheus API's matrix shape. Always written,
     * {@code []} when nothing was asked (as exports always were).
     */
    public static Optional<JsonNode> export(List<JsonNode> recorded, ObjectMapper json) {
        Map<String, JsonNode> byQuery = new LinkedHashMap<>();
        recorded.forEach(r -> byQuery.putIfAbsent(r.path("query").asText(), r.path("series")));
        ArrayNode out = json.createArrayNode();
        if (byQuery.keySet().stream().anyMatch(DatadogQueries::isDatadog)) {
            // asked of Datadog: written back in GET /api/v1/query's shape, so the replay speaks Datadog again
            byQuery.forEach((query, series) -> {
                ObjectNode answer = out.addObject().put("query", query).putObject("datadog").put("status", "ok");
                ArrayNode list = answer.putArray("series");
                series.forEach(s -> {
                    ObjectNode one = list.addObject();
                    ArrayNode tags = one.putArray("tag_set");
                    s.path("metric").properties().forEach(e -> tags.add(e.getKey() + ":" + e.getValue().asText()));
                    ArrayNode points = one.putArray("pointlist");
                    s.path("values").forEach(v -> {
                        ArrayNode p = points.addArray().add(Math.round(v.get(0).asDouble() * 1000));
                        String text = v.get(1).asText();
                        if ("NaN".equals(text)) {
                            p.addNull(); // Datadog's gap
                        } else {
                            p.add(Double.parseDouble(text.replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
                        }
                    });
                });
            });
            return Optional.of(out);
        }
        byQuery.forEach((query, series) -> {
            ObjectNode answer = out.addObject().put("query", query).putObject("answer").put("status", "success");
            answer.putObject("data").put("resultType", "matrix").set("result", series);
        });
        return Optional.of(out);
    }
}
