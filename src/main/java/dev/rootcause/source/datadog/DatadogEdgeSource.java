package dev.rootcause.source.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.EdgeSource;
import dev.rootcause.diagnosis.port.SourceException;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Dependency-graph edges from Datadog APM's service map: {@code GET /api/v1/service_dependencies?env=&start=&end=}
 * answers, per service, the services it calls ({@code {"checkout": {"calls": ["payments", "postgres"]}}}). Selected by
 * {@code rootcause.sources.datadog.graph=true}; needs {@code rootcause.sources.datadog.env}.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.datadog.graph", stringValue = "true")
public class DatadogEdgeSource implements EdgeSource {

    private final DatadogClient client;

    DatadogEdgeSource(DatadogConfig config, ObjectMapper json, Clock clock) {
        this.client = new DatadogClient(config, json, clock);
    }

    @Override
    public String name() {
        return "datadog apm";
    }

    @Override
    public List<DependencyEdge> edges(Instant since, Instant until) throws SourceException {
        String env = client.config().env().filter(e -> !e.isBlank()).orElseThrow(() -> new SourceException(Evidence.Status.SKIPPED,
                "Datadog's service map needs an env: set rootcause.sources.datadog.env"));
        JsonNode body = client.call(api -> api.serviceDependencies(env, since.getEpochSecond(), until.getEpochSecond()), SourceException::new);
        if (!body.isObject()) {
            throw new SourceException(Evidence.Status.ERROR, "Datadog service dependencies: expected an object of services");
        }
        List<DependencyEdge> out = new ArrayList<>();
        body.properties().forEach(e -> e.getValue().path("calls").forEach(callee -> {
            String c = callee.asText("");
            if (!c.isBlank() && !e.getKey().isBlank() && !c.equals(e.getKey())) {
                out.add(new DependencyEdge(e.getKey(), c, Set.of(name())));
            }
        }));
        return out;
    }
}
