package dev.rootcause.source.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsBackend;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.source.BearerToken;
import dev.rootcause.source.HttpGuard;
import dev.rootcause.source.SourceFailures;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@link MetricsSource} on the Prometheus HTTP API (also VictoriaMetrics, Thanos, Mimir). Maps wire JSON
 * to series; {@code NaN} and {@code ±Inf} sample values are kept; Prometheus errors (400 {@code bad_data},
 * 422 {@code execution}, 503 {@code timeout}/{@code unavailable}) become a {@link MetricsSourceException}
 * with the server's message. Calls go through an {@link HttpGuard}: 5xx and 429 are retried (honouring
 * {@code Retry-After}), repeated failure opens a circuit.
 *
 * <p>VictoriaMetrics differences that matter here: it adds {@code isPartial} (carried as a warning),
 * sends no {@code infos}, allows more points per series ({@code -search.maxPointsPerTimeseries}, 30,000)
 * so the 11,000 cap is conservative there, and its graph UI lives at {@code /vmui} rather than
 * {@code /graph} (set {@code external-url} accordingly).
 */
@ApplicationScoped
@Typed({PrometheusMetricsSource.class, MetricsBackend.class})
@LookupIfProperty(name = "rootcause.sources.metrics.kind", stringValue = "prometheus", lookupIfMissing = true)
public class PrometheusMetricsSource implements MetricsBackend {

    /** Prometheus rejects range queries of more than 11,000 points per series. */
    static final long MAX_POINTS = 11_000;
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final PrometheusConfig config;
    private final ObjectMapper json;
    private final PrometheusApi api;
    private final HttpGuard guard;

    PrometheusMetricsSource(PrometheusConfig config, ObjectMapper json, Clock clock) {
        this.config = config;
        this.json = json;
        this.api = QuarkusRestClientBuilder.newBuilder().baseUri(config.url())
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .clientHeadersFactory(new BearerToken(config.token()))
                .build(PrometheusApi.class);
        this.guard = new HttpGuard("prometheus", config.guardSettings(), clock);
    }

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public String render(String template, Map<String, String> vars) throws MetricsSourceException {
        return PromQl.render(template, vars);
    }

    @Override
    public Result range(String query, Instant start, Instant end, Duration step) throws MetricsSourceException {
        long minStepMillis = (long) Math.ceil(Duration.between(start, end).toMillis() / (double) (MAX_POINTS - 1));
        Duration used = step.toMillis() < minStepMillis ? Duration.ofMillis(minStepMillis) : step;
        JsonNode body = call(() -> api.queryRange(query, seconds(start), seconds(end), String.valueOf(used.toMillis() / 1000.0)));
        return new Result(series(body), used, warnings(body));
    }

    @Override
    public Result instant(String query, Instant at) throws MetricsSourceException {
        JsonNode body = call(() -> api.query(query, seconds(at)));
        return new Result(series(body), null, warnings(body));
    }

    @Override
    public String link(String query, Instant start, Instant end) {
        URI base = config.externalUrl().orElse(config.url());
        long rangeSeconds = Math.max(60, Duration.between(start, end).toSeconds());
        return base.toString().replaceAll("/+$", "") + "/graph?g0.expr=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&g0.tab=0&g0.range_input=" + rangeSeconds + "s&g0.end_input="
                + URLEncoder.encode(end.toString(), StandardCharsets.UTF_8);
    }

    @Override
    public List<String> labelValues(String label, List<String> match, Instant start, Instant end) throws MetricsSourceException {
        if (!LABEL_NAME.matcher(label).matches()) {
            throw new MetricsSourceException(Evidence.Status.ERROR, "\"" + label + "\" is not a label name");
        }
        JsonNode body = call(() -> api.labelValues(label, match, start == null ? null : seconds(start), end == null ? null : seconds(end)));
        List<String> out = new ArrayList<>();
        body.path("data").forEach(v -> out.add(v.asText()));
        return out;
    }

    private JsonNode call(java.util.concurrent.Callable<JsonNode> call) throws MetricsSourceException {
        try {
            return guard.call(call);
        } catch (RuntimeException e) {
            SourceFailures.Failure f = SourceFailures.describe(e, "Prometheus", config.url(), config.timeout(), this::serverText);
            throw new MetricsSourceException(f.status(), f.reason());
        }
    }

    /** Prometheus' error body: {@code {"status":"error","errorType":"bad_data","error":"..."}} → "bad_data: ...". */
    private String serverText(jakarta.ws.rs.core.Response response) {
        String text = response.readEntity(String.class);
        try {
            JsonNode body = json.readTree(text);
            if (body.has("error")) {
                return body.path("errorType").asText("error") + ": " + body.path("error").asText("");
            }
        } catch (Exception notJson) {
            // a proxy's page or plain text: show its start
        }
        return text == null ? null : text.strip().substring(0, Math.min(200, text.strip().length()));
    }

    public static List<Series> series(JsonNode body) throws MetricsSourceException {
        JsonNode data = body.path("data");
        String type = data.path("resultType").asText();
        List<Series> out = new ArrayList<>();
        if ("scalar".equals(type)) {
            JsonNode v = data.path("result");
            out.add(new Series(Map.of(), List.of(time(v.get(0))), new double[] {value(v.get(1))}));
            return out;
        }
        for (JsonNode r : data.path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            r.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            List<Instant> times = new ArrayList<>();
            List<JsonNode> points = new ArrayList<>();
            if (r.has("values")) {
                r.get("values").forEach(points::add);
            } else if (r.has("value")) {
                points.add(r.get("value"));
            }
            double[] values = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                times.add(time(points.get(i).get(0)));
                values[i] = value(points.get(i).get(1));
            }
            out.add(new Series(labels, times, values));
        }
        if (!"matrix".equals(type) && !"vector".equals(type)) {
            throw new MetricsSourceException(Evidence.Status.ERROR, "unexpected resultType \"" + type + '"');
        }
        return out;
    }

    /**
     * Prometheus' {@code warnings} and {@code infos} (the latter prefixed {@code info: }); VictoriaMetrics
     * instead flags an answer missing some storage nodes with {@code isPartial: true}.
     */
    public static List<String> warnings(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.path("warnings").forEach(w -> out.add(w.asText()));
        body.path("infos").forEach(w -> out.add("info: " + w.asText()));
        if (body.path("isPartial").asBoolean(false)) {
            out.add("partial answer: some storage nodes did not answer (isPartial)");
        }
        return out;
    }

    /** Prometheus sample values are strings: a float, "NaN", "+Inf" or "-Inf". */
    static double value(JsonNode node) {
        String s = node.asText();
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static Instant time(JsonNode node) {
        double seconds = node.asDouble();
        long whole = (long) Math.floor(seconds);
        return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
    }

    static String seconds(Instant t) {
        return t.getEpochSecond() + "." + String.format("%03d", t.getNano() / 1_000_000);
    }
}
