package dev.rootcause.source.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.source.BackendHttp;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link TraceSource} on the Jaeger query service's HTTP API ({@code GET /api/traces?service=&start=&end=&limit=},
 * the API its UI uses; {@code start}/{@code end} and span times in <b>microseconds</b>). Jaeger's own
 * clock-skew adjustment may or may not have been applied to what it answers; the analysis clamps
 * children into parents either way. Selected by {@code rootcause.sources.traces.kind=jaeger}.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.traces.kind", stringValue = "jaeger")
public class JaegerTraceSource implements TraceSource {

    private final TracesConfig config;
    private final ObjectMapper json;
    private final BackendHttp http;

    JaegerTraceSource(TracesConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = new BackendHttp("Jaeger", config);
    }

    @Override
    public String name() {
        return "jaeger";
    }

    @Override
    public List<Trace> traces(String service, Instant start, Instant end, int limit) throws SourceException {
        String body = http.get("/api/traces", params(service, start, end, limit));
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (java.io.IOException e) {
            throw new SourceException(Evidence.Status.ERROR, "Jaeger answer unreadable: " + e.getClass().getSimpleName());
        }
        return parse(tree);
    }

    @Override
    public String describe(String service, Instant start, Instant end, int limit) {
        return http.url("/api/traces", params(service, start, end, limit));
    }

    @Override
    public String traceLink(String traceId) {
        return TraceLinks.link(config, "/trace/", traceId);
    }

    private static Map<String, String> params(String service, Instant start, Instant end, int limit) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("service", service);
        p.put("start", Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, start)));
        p.put("end", Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, end)));
        p.put("limit", Integer.toString(limit));
        return p;
    }

    /**
     * A Jaeger API answer ({@code {"data": [{traceID, spans, processes}], "errors": ...}}).
     *
     * @throws SourceException when it carries errors and no data
     */
    public static List<Trace> parse(JsonNode body) throws SourceException {
        JsonNode errors = body.path("errors");
        if (errors.isArray() && !errors.isEmpty() && (body.path("data").isNull() || body.path("data").isEmpty())) {
            throw new SourceException(Evidence.Status.ERROR, "Jaeger answered errors: " + errors.get(0).path("msg").asText(errors.get(0).toString()));
        }
        List<Trace> out = new ArrayList<>();
        for (JsonNode trace : body.path("data")) {
            Map<String, String> services = new HashMap<>();
            trace.path("processes").properties().forEach(p -> services.put(p.getKey(), p.getValue().path("serviceName").asText("unknown")));
            List<Span> spans = new ArrayList<>();
            for (JsonNode s : trace.path("spans")) {
                Map<String, JsonNode> tags = new HashMap<>();
                s.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value")));
                String parent = null;
                for (JsonNode ref : s.path("references")) {
                    if (parent == null || "CHILD_OF".equals(ref.path("refType").asText())) {
                        parent = ref.path("spanID").asText().toLowerCase(Locale.ROOT);
                    }
                }
                boolean error = tags.containsKey("error") && tags.get("error").asText().equalsIgnoreCase("true")
                        || tags.containsKey("otel.status_code") && "ERROR".equals(tags.get("otel.status_code").asText());
                spans.add(new Span(s.path("spanID").asText().toLowerCase(Locale.ROOT), parent,
                        services.getOrDefault(s.path("processID").asText(), "unknown"), s.path("operationName").asText(""),
                        tags.containsKey("span.kind") ? tags.get("span.kind").asText().toUpperCase(Locale.ROOT) : null,
                        peer(tags), s.path("startTime").asLong(), s.path("duration").asLong(0), error,
                        error ? errorMessage(s, tags) : null));
            }
            if (!spans.isEmpty()) {
                out.add(new Trace(trace.path("traceID").asText().toLowerCase(Locale.ROOT), spans));
            }
        }
        return out;
    }

    /** The service a client span called, by the OpenTelemetry / OpenTracing conventions in order. */
    static String peer(Map<String, JsonNode> tags) {
        for (String key : List.of("peer.service", "db.system", "messaging.system", "server.address", "net.peer.name", "peer.hostname")) {
            if (tags.containsKey(key) && !tags.get(key).asText().isBlank()) {
                return tags.get(key).asText();
            }
        }
        return null;
    }

    private static String errorMessage(JsonNode span, Map<String, JsonNode> tags) {
        for (JsonNode log : span.path("logs")) {
            for (JsonNode f : log.path("fields")) {
                if ("exception.message".equals(f.path("key").asText()) || "error.object".equals(f.path("key").asText())) {
                    return f.path("value").asText();
                }
            }
        }
        return tags.containsKey("otel.status_description") ? tags.get("otel.status_description").asText() : null;
    }
}
