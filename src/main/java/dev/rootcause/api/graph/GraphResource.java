package dev.rootcause.api.graph;

import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import dev.rootcause.diagnosis.graph.DependencyGraphs;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/graph}: the dependency graph in force, e.g. {@code {"builtAt":"2026-05-14T09:00:00Z",
 * "service":null,"edges":[{"caller":"checkout","callee":"payments","origins":["catalogue","zipkin"]}],
 * "sources":{"catalogue":"3 edges","zipkin":"empty (...); took 4 edges from sampled traces of 6 services"},
 * "empty":["mesh (istio)"],"failed":["client metrics (otel)"]}}. {@code builtAt} is null before the first build.
 * {@code ?service=checkout} keeps the edges within {@code depth} hops (default 1, at most 10) of that service,
 * both ways; the name is normalized as the graph's nodes are.
 */
@Path("/api/v1/graph")
@Tag(name = "diagnosis")
@SecurityRequirement(name = "apiToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
public class GraphResource {

    /** The deepest neighbourhood asked for: deeper is the whole graph in practice, and costs a walk per request. */
    static final int MAX_DEPTH = 10;

    private final DependencyGraphs graphs;

    GraphResource(DependencyGraphs graphs) {
        this.graphs = graphs;
    }

    /** One edge; origins sorted. */
    public record EdgeView(String caller, String callee, List<String> origins) {
    }

    /**
     * The graph as shown.
     *
     * @param service the node asked about (normalized), or null for the whole graph
     * @param sources every source and what it answered
     * @param empty   sources that answered no edge (a trace backend's fallback is said in its {@code sources} text)
     * @param failed  sources that answered {@code error} or {@code timeout}
     */
    public record GraphView(Instant builtAt, String service, List<EdgeView> edges, Map<String, String> sources, List<String> empty,
            List<String> failed) {
    }

    @GET
    @Operation(summary = "The dependency graph in force", description = "builtAt is null before the first build; `empty` lists "
            + "the sources that answered no edge, `failed` those that answered error or timeout.")
    @APIResponse(responseCode = "200", description = "The graph (a service not in it: no edges).",
            content = @Content(schema = @Schema(implementation = GraphView.class)))
    @APIResponse(responseCode = "400", description = "A depth outside 1-10.", content = @Content(schema = @Schema(ref = "Error"), example = 
            "{\"field\":\"depth\",\"error\":\"depth: expected a whole number 1-10, got \\\"0\\\"\"}"))
    public Response graph(@Parameter(description = "keep the edges on paths of at most `depth` hops from this service, both ways")
            @QueryParam("service") String service,
            @Parameter(description = "1-10", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "10", defaultValue = "1"))
            @QueryParam("depth") @DefaultValue("1") String depthParam) {
        int depth;
        try {
            depth = Integer.parseInt(depthParam.strip());
        } catch (NumberFormatException e) {
            depth = -1;
        }
        if (depth < 1 || depth > MAX_DEPTH) {
            return bad("depth", "expected a whole number 1-" + MAX_DEPTH + ", got \"" + depthParam + '"');
        }
        DependencyGraph g = graphs.current();
        String node = service == null || service.isBlank() ? null : graphs.node(service);
        List<DependencyEdge> edges = node == null ? g.edges() : neighbourhood(g, node, depth);
        List<String> empty = g.sources().entrySet().stream().filter(e -> e.getValue().startsWith("empty")).map(Map.Entry::getKey).toList();
        List<String> failed = g.sources().entrySet().stream().filter(e -> e.getValue().startsWith("error") || e.getValue().startsWith("timeout"))
                .map(Map.Entry::getKey).toList();
        return Response.ok(new GraphView(g.builtAt().equals(Instant.EPOCH) ? null : g.builtAt(), node,
                edges.stream().map(e -> new EdgeView(e.caller(), e.callee(), e.origins().stream().sorted().toList())).toList(), g.sources(), empty,
                failed)).build();
    }

    /** Edges on paths of at most {@code depth} hops from {@code node}, downstream and upstream, in graph order. */
    static List<DependencyEdge> neighbourhood(DependencyGraph g, String node, int depth) {
        Set<DependencyEdge> keep = new LinkedHashSet<>();
        for (boolean down : new boolean[] {true, false}) {
            Map<String, Integer> seen = new HashMap<>(Map.of(node, 0));
            Deque<String> queue = new ArrayDeque<>(List.of(node));
            while (!queue.isEmpty()) {
                String at = queue.poll();
                int hops = seen.get(at);
                if (hops == depth) {
                    continue;
                }
                for (DependencyEdge e : down ? g.downstreams(at) : g.upstreams(at)) {
                    keep.add(e);
                    String next = down ? e.callee() : e.caller();
                    if (seen.putIfAbsent(next, hops + 1) == null) {
                        queue.add(next);
                    }
                }
            }
        }
        List<DependencyEdge> out = new ArrayList<>(g.edges());
        out.retainAll(keep);
        return out;
    }

    private static Response bad(String field, String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", field + ": " + message, "field", field)).build();
    }
}
