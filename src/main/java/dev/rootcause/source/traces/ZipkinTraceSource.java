package dev.rootcause.source.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.source.BackendHttp;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link TraceSource} on the Zipkin v2 API ({@code GET /api/v2/traces?serviceName=&endTs=&lookback=&limit=};
 * {@code endTs} and {@code lookback} in milliseconds, span {@code timestamp}/{@code duration} in
 * microseconds). Selected by {@code rootcause.sources.traces.kind=zipkin}.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.traces.kind", stringValue = "zipkin")
public class ZipkinTraceSource implements TraceSource {

    private final TracesConfig config;
    private final ObjectMapper json;
    private final BackendHttp http;

    ZipkinTraceSource(TracesConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = new BackendHttp("Zipkin", config);
    }

    @Override
    public String name() {
        return "zipkin";
    }

    @Override
    public List<Trace> traces(String service, Instant start, Instant end, int limit) throws SourceException {
        String body = http.get("/api/v2/traces", params(service, start, end, limit));
        try {
            return parse(json.readTree(body));
        } catch (java.io.IOException | RuntimeException e) {
            throw new SourceException(Evidence.Status.ERROR, "Zipkin answer unreadable: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public String describe(String service, Instant start, Instant end, int limit) {
        return http.url("/api/v2/traces", params(service, start, end, limit));
    }

    @Override
    public String traceLink(String traceId) {
        return TraceLinks.link(config, "/zipkin/traces/", traceId);
    }

    private static Map<String, String> params(String service, Instant start, Instant end, int limit) {
        Map<String, String> p = new LinkedHashMap<>();
        // Zipkin lowercases service names when it stores them
        p.put("serviceName", service.toLowerCase(Locale.ROOT));
        p.put("endTs", Long.toString(end.toEpochMilli()));
        p.put("lookback", Long.toString(Math.max(1, Duration.between(start, end).toMillis())));
        p.put("limit", Integer.toString(limit));
        return p;
    }

    /** A Zipkin v2 list of traces (each a list of spans). Spans without an id or timestamp are left out. */
    public static List<Trace> parse(JsonNode body) throws SourceException {
        if (!body.isArray()) {
            throw new SourceException(Evidence.Status.ERROR, "Zipkin answer is not a list of traces");
        }
        List<Trace> out = new ArrayList<>();
        for (JsonNode trace : body) {
            List<Span> spans = new ArrayList<>();
            String traceId = null;
            for (JsonNode s : trace) {
                if (!s.hasNonNull("id") || !s.hasNonNull("timestamp")) {
                    continue;
                }
                traceId = traceId == null ? s.path("traceId").asText().toLowerCase(Locale.ROOT) : traceId;
                JsonNode tags = s.path("tags");
                String remote = s.path("remoteEndpoint").path("serviceName").asText(null);
                spans.add(new Span(s.get("id").asText().toLowerCase(Locale.ROOT),
                        s.hasNonNull("parentId") ? s.get("parentId").asText().toLowerCase(Locale.ROOT) : null,
                        s.path("localEndpoint").path("serviceName").asText("unknown"), s.path("name").asText(""),
                        s.hasNonNull("kind") ? s.get("kind").asText().toUpperCase(Locale.ROOT) : null, remote,
                        s.get("timestamp").asLong(), s.path("duration").asLong(0), tags.has("error"),
                        tags.has("error") ? tags.get("error").asText() : null));
            }
            if (!spans.isEmpty()) {
                out.add(new Trace(traceId, spans));
            }
        }
        return out;
    }
}
