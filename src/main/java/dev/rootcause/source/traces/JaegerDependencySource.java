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
 * Jaeger's dependency links from its query service, {@code GET /api/dependencies?endTs=&lookback=} (both in
 * <b>milliseconds</b>, unlike its trace search), answered as {@code {"data":[{"parent","child","callCount"}],
 * "errors":null}}; its services, {@code GET /api/services} ({@code {"data":["frontend",...]}}). Memory and Badger
 * storage derive links on the fly; Elasticsearch/OpenSearch and Cassandra answer only what the
 * spark-dependencies job wrote (daily), so an empty answer is normal there. Selected by
 * {@code rootcause.sources.traces.kind=jaeger}.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.traces.kind", stringValue = "jaeger")
public class JaegerDependencySource implements TraceDependencySource {

    private final ObjectMapper json;
    private final BackendHttp http;

    JaegerDependencySource(TracesConfig config, ObjectMapper json) {
        this.json = json;
        this.http = new BackendHttp("Jaeger", config);
    }

    @Override
    public String name() {
        return "jaeger";
    }

    @Override
    public List<DependencyEdge> edges(Instant since, Instant until) throws SourceException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("endTs", Long.toString(until.toEpochMilli()));
        p.put("lookback", Long.toString(Math.max(1, Duration.between(since, until).toMillis())));
        return DependencyLinks.parse(data(http.get("/api/dependencies", p)), name());
    }

    @Override
    public List<String> services() throws SourceException {
        return DependencyLinks.texts(data(http.get("/api/services", Map.of())));
    }

    /** The {@code data} list of a Jaeger API answer; its {@code errors} when it has no data. */
    private JsonNode data(String body) throws SourceException {
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (java.io.IOException e) {
            throw new SourceException(Evidence.Status.ERROR, "Jaeger answer unreadable: " + e.getClass().getSimpleName());
        }
        JsonNode data = tree.path("data");
        if (data.isNull() || data.isMissingNode()) {
            JsonNode errors = tree.path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                throw new SourceException(Evidence.Status.ERROR, "Jaeger answered errors: " + errors.get(0).path("msg").asText(errors.get(0).toString()));
            }
            return json.createArrayNode();
        }
        if (!data.isArray()) {
            throw new SourceException(Evidence.Status.ERROR, "Jaeger answer's data is not a list");
        }
        return data;
    }
}
