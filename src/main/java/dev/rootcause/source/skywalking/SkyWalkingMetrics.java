package dev.rootcause.source.skywalking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.ItemHistorySource;
import dev.rootcause.diagnosis.port.ItemHistorySourceException;
import dev.rootcause.diagnosis.port.SourceException;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ItemHistorySource} on SkyWalking OAP 9.5 and later through MQE ({@code execExpression}, the V3 metrics API;
 * the older {@code readMetricsValues} family is deprecated since 9.5): the "host" is the entity, a service name or
 * {@code <endpoint> in <service>} (SkyWalking's own entity name), the "key" an MQE expression over that entity, e.g.
 * {@code service_resp_time} (ms), {@code service_sla/100} (%), {@code service_cpm} (calls per minute),
 * {@code endpoint_resp_time}. Minute step; at most {@value #MAX_MINUTES} minutes per call.
 *
 * <p>Answer ({@code ExpressionResult}): {@code type}, {@code error} (an expression the OAP cannot resolve: type
 * {@code UNKNOWN} with the message), {@code results[].values[]} of {@code {id, value}}: {@code id} the time bucket's
 * start in epoch ms, {@code value} a decimal string or null where the OAP has no data for that minute (left out).
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.items.kind", stringValue = "skywalking")
public class SkyWalkingMetrics implements ItemHistorySource {

    /** Minutes asked per call; longer windows are cut to their last part and the evidence says so. */
    static final int MAX_MINUTES = 1440;

    static final String QUERY = """
            query ($expression: String!, $entity: Entity!, $duration: Duration!) {
              result: execExpression(expression: $expression, entity: $entity, duration: $duration) {
                type error
                results { metric { labels { key value } } values { id value } }
              }
            }""";

    private final SkyWalkingGraphQl api;
    private final ObjectMapper json;

    SkyWalkingMetrics(SkyWalkingConfig config, ObjectMapper json) {
        this.api = new SkyWalkingGraphQl(config, json);
        this.json = json;
    }

    @Override
    public String name() {
        return "skywalking";
    }

    /**
     * @param host the entity: {@code <service>} or {@code <endpoint> in <service>}
     * @param key  the MQE expression
     */
    @Override
    public ItemSeries history(String host, String key, Instant start, Instant end) throws ItemHistorySourceException {
        List<String> warnings = new ArrayList<>();
        Instant from = start.truncatedTo(ChronoUnit.MINUTES);
        if (Duration.between(from, end).toMinutes() > MAX_MINUTES) {
            from = end.minus(Duration.ofMinutes(MAX_MINUTES)).truncatedTo(ChronoUnit.MINUTES);
            warnings.add("window cut to its last " + MAX_MINUTES + " minutes (one MQE call)");
        }
        ObjectNode vars = api.variables();
        vars.put("expression", key);
        vars.set("entity", entity(host));
        vars.set("duration", api.duration(from, end));
        JsonNode result;
        try {
            result = api.query("execExpression", QUERY, vars).path("result");
        } catch (SourceException e) {
            throw new ItemHistorySourceException(e.status(), e.getMessage());
        }
        String error = result.path("error").asText("");
        if (!error.isBlank() || "UNKNOWN".equals(result.path("type").asText())) {
            throw new ItemHistorySourceException(Evidence.Status.ERROR, "SkyWalking could not evaluate " + key + ": "
                    + (error.isBlank() ? "result type UNKNOWN" : error));
        }
        JsonNode results = result.path("results");
        if (!results.isArray() || results.isEmpty()) {
            throw new ItemHistorySourceException(Evidence.Status.NO_DATA, "SkyWalking has no " + key + " for " + host);
        }
        if (results.size() > 1) {
            warnings.add(results.size() + " labelled series answered; the first (" + results.get(0).path("metric").path("labels")
                    + ") is compared");
        }
        List<Instant> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        JsonNode points = results.get(0).path("values");
        for (int i = 0; i < points.size(); i++) {
            JsonNode p = points.get(i);
            if (p.path("value").isNull() || p.path("value").asText("").isBlank()) {
                continue;
            }
            long id = p.path("id").asLong(-1);
            // id is the bucket's epoch ms; an OAP that answers another id is read by position at minute step
            Instant t = id > 100_000_000_000L ? Instant.ofEpochMilli(id) : from.plus(Duration.ofMinutes(i));
            try {
                values.add(Double.parseDouble(p.path("value").asText()));
                times.add(t);
            } catch (NumberFormatException e) {
                warnings.add("value \"" + p.path("value").asText() + "\" at " + t + " is not a number; left out");
            }
        }
        if (times.isEmpty()) {
            throw new ItemHistorySourceException(Evidence.Status.NO_DATA, "SkyWalking has no " + key + " for " + host
                    + " between " + from + " and " + end);
        }
        return new ItemSeries(host, key, key, key, units(key), "execExpression", times,
                values.stream().mapToDouble(Double::doubleValue).toArray(), warnings, null);
    }

    /** The MQE {@code Entity}: a normal (agent-traced) service, or an endpoint of one. */
    ObjectNode entity(String host) {
        ObjectNode e = json.createObjectNode();
        int in = host.lastIndexOf(" in ");
        if (in > 0) {
            e.put("serviceName", host.substring(in + 4));
            e.put("endpointName", host.substring(0, in));
        } else {
            e.put("serviceName", host);
        }
        e.put("normal", true);
        return e;
    }

    /** Units of the OAL metrics a rule asks for (apache/skywalking oap-server/server-starter/src/main/resources/oal/core.oal). */
    static String units(String key) {
        String k = key.replace(" ", "");
        if (k.endsWith("_resp_time") || k.contains("_percentile")) {
            return "ms";
        }
        if (k.endsWith("_sla/100")) {
            return "%";
        }
        if (k.endsWith("_cpm")) {
            return "calls/min";
        }
        return "";
    }
}
