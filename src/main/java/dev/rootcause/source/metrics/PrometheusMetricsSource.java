package dev.rootcause.source.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.MetricsSource;
import dev.rootcause.diagnosis.MetricsSourceException;
import dev.rootcause.rule.Durations;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link MetricsSource} on the Prometheus HTTP API (also VictoriaMetrics, Thanos, Mimir). Maps wire JSON
 * to series; {@code NaN} and {@code ±Inf} sample values are kept; Prometheus errors (400 {@code bad_data},
 * 422 {@code execution}, 503 {@code timeout}/{@code unavailable}) become a {@link MetricsSourceException}
 * with the server's message.
 */
@ApplicationScoped
public class PrometheusMetricsSource implements MetricsSource {

    /** Prometheus rejects range queries of more than 11,000 points per series. */
    static final long MAX_POINTS = 11_000;

    private final PrometheusConfig config;
    private final ObjectMapper json;
    private final PrometheusApi api;

    PrometheusMetricsSource(PrometheusConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.api = QuarkusRestClientBuilder.newBuilder().baseUri(config.url())
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(PrometheusApi.class);
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

    private interface Call {
        JsonNode run();
    }

    private JsonNode call(Call call) throws MetricsSourceException {
        try {
            return call.run();
        } catch (WebApplicationException e) {
            throw serverError(e);
        } catch (ProcessingException e) {
            boolean timeout = hasCause(e, TimeoutException.class) || hasCause(e, java.net.SocketTimeoutException.class)
                    || String.valueOf(e.getMessage()).toLowerCase().contains("timeout");
            throw new MetricsSourceException(timeout ? Evidence.Status.TIMEOUT : Evidence.Status.ERROR,
                    "Prometheus at " + config.url() + (timeout ? " did not answer within " + Durations.format(config.timeout())
                            : " unreachable: " + rootMessage(e)));
        }
    }

    private MetricsSourceException serverError(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String detail;
        try {
            JsonNode body = json.readTree(e.getResponse().readEntity(String.class));
            detail = body.path("errorType").asText("error") + ": " + body.path("error").asText("");
        } catch (Exception unreadable) {
            detail = "HTTP " + status;
        }
        Evidence.Status kind = status == 503 && detail.startsWith("timeout") ? Evidence.Status.TIMEOUT : Evidence.Status.ERROR;
        return new MetricsSourceException(kind, "Prometheus answered " + status + ": " + detail);
    }

    static List<Series> series(JsonNode body) throws MetricsSourceException {
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

    private static List<String> warnings(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.path("warnings").forEach(w -> out.add(w.asText()));
        body.path("infos").forEach(w -> out.add("info: " + w.asText()));
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

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
