package dev.rootcause.source.skywalking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.EdgeSource;
import dev.rootcause.diagnosis.port.SourceException;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service topology SkyWalking derives from its traces, as dependency edges ({@code getGlobalTopology(duration,
 * layer)}; apache/skywalking docs/en/api/query-protocol.md "Topology"). Answer: {@code nodes[]} of
 * {@code {id, name, type, isReal, layers}} and {@code calls[]} of {@code {id, source, target, detectPoints}}, source
 * and target being node ids. Every call is an edge caller → callee by the nodes' names, conjectural nodes
 * ({@code isReal: false}, e.g. a database the agent saw as a peer address) included: they are real downstreams.
 * Calls whose ends are not among the nodes are skipped.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.skywalking.topology", stringValue = "true")
public class SkyWalkingTopology implements EdgeSource {

    static final String QUERY = """
            query ($duration: Duration!, $layer: String) {
              topology: getGlobalTopology(duration: $duration, layer: $layer) {
                nodes { id name type isReal layers }
                calls { id source target detectPoints }
              }
            }""";

    private final SkyWalkingGraphQl api;
    private final SkyWalkingConfig config;

    SkyWalkingTopology(SkyWalkingConfig config, ObjectMapper json) {
        this.api = new SkyWalkingGraphQl(config, json);
        this.config = config;
    }

    @Override
    public String name() {
        return "skywalking";
    }

    @Override
    public List<DependencyEdge> edges(Instant since, Instant until) throws SourceException {
        ObjectNode vars = api.variables();
        vars.set("duration", api.duration(since, until));
        if (!config.layer().isBlank()) {
            vars.put("layer", config.layer());
        }
        JsonNode topology = api.query("getGlobalTopology", QUERY, vars).path("topology");
        Map<String, String> names = new HashMap<>();
        topology.path("nodes").forEach(n -> names.put(n.path("id").asText(), n.path("name").asText()));
        List<DependencyEdge> out = new ArrayList<>();
        for (JsonNode call : topology.path("calls")) {
            String caller = names.get(call.path("source").asText());
            String callee = names.get(call.path("target").asText());
            if (caller != null && callee != null && !caller.isBlank() && !callee.isBlank() && !caller.equals(callee)) {
                out.add(new DependencyEdge(caller, callee, Set.of(name())));
            }
        }
        return out;
    }
}
