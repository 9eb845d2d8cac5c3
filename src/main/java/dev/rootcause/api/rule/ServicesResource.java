package dev.rootcause.api.rule;

import dev.rootcause.rule.ServiceCatalogue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/services}: the service catalogue in force and the error of its last load, e.g.
 * {@code {"services":[{"name":"checkout","owner":"team-payments","oncallRole":"1122...","labels":{"service":"checkout"},
 * "dependencies":[{"name":"auth","health":"http://...","timeoutMillis":1500,"retries":2}]}],"errors":[],"loadedAt":"..."}}.
 */
@Path("/api/v1/services")
@Tag(name = "diagnosis")
@SecurityRequirement(name = "apiToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {

    private final ServiceCatalogue catalogue;

    ServicesResource(ServiceCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * A dependency as listed; the timeout in milliseconds. {@code health} and {@code timeoutMillis} are null for a
     * dependency without a health URL (in the dependency graph, never probed).
     */
    public record DependencyView(String name, String health, Long timeoutMillis, int retries) {
    }

    /** A service as listed. */
    public record ServiceView(String name, String owner, String oncallRole, Map<String, String> labels,
            List<DependencyView> dependencies) {
    }

    /** The listing; {@code errors} holds {@code services.yaml:line: message} when the last edit did not load. */
    public record Listing(List<ServiceView> services, List<String> errors, Instant loadedAt) {
    }

    @GET
    @Operation(summary = "The service catalogue in force (services.yaml)")
    @APIResponse(responseCode = "200", description = "The service catalogue in force (services.yaml).")
    public Listing list() {
        ServiceCatalogue.Snapshot s = catalogue.snapshot();
        return new Listing(s.services().values().stream().map(v -> new ServiceView(v.name(), v.owner(), v.oncallRole(),
                new java.util.TreeMap<>(v.labels()), v.dependencies().stream().map(d -> new DependencyView(d.name(),
                        d.probed() ? d.health().toString() : null, d.probed() ? d.timeout().toMillis() : null, d.retries())).toList())).toList(),
                s.errors(), s.loadedAt());
    }
}
