package dev.rootcause.source.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.TraceDependencySource;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.source.BackendHttp;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zipkin's dependency links, {@code GET /api/v2/dependencies?endTs=&lookback=} ({@code endTs} and
 * {@code lookback} in milliseconds), answered as {@code [{"parent","child","callCount","errorCount"}]}; its
 * services, {@code GET /api/v2/services} ({@code ["frontend","backend"]}). In-memory storage derives the links
 * from the spans it holds; Elasticsearch and Cassandra storage answer only what the zipkin-dependencies batch
 * job wrote (one row per day), so an empty answer is normal there. Selected by
 * {@code rootcause.sources.traces.kind=zipkin}; the same URL, credentials, timeout and retries as the trace source.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.traces.kind", stringValue = "zipkin")
public class ZipkinDependencySource implements TraceDependencySource {

    private final ObjectMapper json;
    private final BackendHttp http;

    ZipkinDependencySource(TracesConfig config, ObjectMapper json) {
        this.json = json;
        this.http = new BackendHttp("Zipkin", config);
    }

    @Override
    public String name() {
        return "zipkin";
    }

    @Override
    public List<DependencyEdge> edges(Instant since, Instant until) throws SourceException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("endTs", Long.toString(until.toEpochMilli()));
        p.put("lookback", Long.toString(Math.max(1, Duration.between(since, until).toMillis())));
        return DependencyLinks.parse(read(http.get("/api/v2/dependencies", p)), name());
    }

    @Override
    public List<String> services() throws SourceException {
        JsonNode body = read(http.get("/api/v2/services", Map.of()));
        if (!body.isArray()) {
            throw new SourceException(Evidence.Status.ERROR, "Zipkin services answer is not a list");
        }
        return DependencyLinks.texts(body);
    }

    private JsonNode read(String body) throws SourceException {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new SourceException(Evidence.Status.ERROR, "Zipkin answer unreadable: " + e.getClass().getSimpleName());
        }
    }
}
