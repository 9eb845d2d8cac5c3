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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link TraceSource} on Grafana Tempo's HTTP API: a TraceQL search ({@code GET /api/search?q=&start=&end=&limit=},
 * times in Unix seconds) for the ids, then each trace by id ({@code GET /api/traces/<id>}, OTLP JSON). The
 * service name is placed in the TraceQL string literal escaped. Selected by
 * {@code rootcause.sources.traces.kind=tempo}.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.traces.kind", stringValue = "tempo")
public class TempoTraceSource implements TraceSource {

    private final TracesConfig config;
    private final ObjectMapper json;
    private final BackendHttp http;

    TempoTraceSource(TracesConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = new BackendHttp("Tempo", config);
    }

    @Override
    public String name() {
        return "tempo";
    }

    @Override
    public List<Trace> traces(String service, Instant start, Instant end, int limit) throws SourceException {
        JsonNode found = read(http.get("/api/search", params(service, start, end, limit)));
        Set<String> ids = new LinkedHashSet<>();
        found.path("traces").forEach(t -> ids.add(t.path("traceID").asText()));
        List<Trace> out = new ArrayList<>();
        for (String id : ids) {
            if (id.isBlank() || !id.matches("[0-9a-fA-F]{1,32}")) {
                continue; // never put an unexpected id into a path
            }
            Trace t = OtlpJson.trace(id, read(http.get("/api/traces/" + id, Map.of())));
            if (!t.spans().isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public String describe(String service, Instant start, Instant end, int limit) {
        return http.url("/api/search", params(service, start, end, limit)) + " then /api/traces/<id> for each";
    }

    @Override
    public String traceLink(String traceId) {
        return TraceLinks.link(config, null, traceId);
    }

    private JsonNode read(String body) throws SourceException {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new SourceException(Evidence.Status.ERROR, "Tempo answer unreadable: " + e.getClass().getSimpleName());
        }
    }

    private static Map<String, String> params(String service, Instant start, Instant end, int limit) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("q", "{ resource.service.name = " + traceQlString(service) + " }");
        p.put("start", Long.toString(start.getEpochSecond()));
        p.put("end", Long.toString(end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0)));
        p.put("limit", Integer.toString(limit));
        return p;
    }

    /** A TraceQL double-quoted string literal: backslash, quote and control characters escaped. */
    static String traceQlString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
