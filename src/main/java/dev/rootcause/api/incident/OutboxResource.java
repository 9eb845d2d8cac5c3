package dev.rootcause.api.incident;

import dev.rootcause.incident.outbox.Outbox;
import dev.rootcause.incident.pipeline.OutboxDispatcher;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
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
 * {@code GET /api/v1/outbox[?status=pending|done|dead&limit=100]}: effects, newest first, with attempts
 * and the last error; {@code POST /api/v1/outbox/{id}/retry}: a dead effect back in line now (404 when
 * there is no dead effect with that id).
 */
@Path("/api/v1/outbox")
@Tag(name = "tickets")
@SecurityRequirement(name = "apiToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
public class OutboxResource {

    private static final Set<String> STATUSES = Set.of("pending", "done", "dead");

    private final Outbox outbox;
    private final OutboxDispatcher dispatcher;

    OutboxResource(Outbox outbox, OutboxDispatcher dispatcher) {
        this.outbox = outbox;
        this.dispatcher = dispatcher;
    }

    @GET
    @Operation(summary = "Effects (ticket calls, chat posts) and their state, newest first")
    @APIResponse(responseCode = "200", description = "The effects.")
    @APIResponse(responseCode = "400", description = "An unknown status or a limit outside 1-1000.", content = @Content(schema = @Schema(ref = "Error"), example = 
            "{\"field\":\"status\",\"error\":\"status: expected pending, done or dead; got \\\"x\\\"\"}"))
    public List<Outbox.Effect> list(@Parameter(description = "pending, done or dead; absent: all") @QueryParam("status") String status,
            @Parameter(description = "1-1000", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100"))
            @QueryParam("limit") @DefaultValue("100") String limit)
            {
        if (status != null && !STATUSES.contains(status)) {
            throw new IncidentResource.BadRequest("status", "expected pending, done or dead; got \"" + status + '"');
        }
        return outbox.list(status, IncidentResource.limit(limit));
    }

    @POST
    @Operation(summary = "Put a dead effect back in line")
    @APIResponse(responseCode = "200", description = "Pending again.", content = @Content(example = "{\"id\":42,\"status\":\"pending\"}"))
    @APIResponse(responseCode = "400", description = "The id is not a positive integer.", content = @Content(schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "404", description = "No dead effect with this id.", content = @Content(schema = @Schema(ref = "Error"), example = "{\"error\":\"no dead effect with id 42\"}"))
    @Path("/{id}/retry")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> retry(@PathParam("id") String id) {
        long effect = IncidentResource.id(id, "effect");
        if (!outbox.retry(effect)) {
            throw new jakarta.ws.rs.NotFoundException("no dead effect with id " + effect);
        }
        dispatcher.wake();
        return Map.of("id", effect, "status", "pending");
    }
}
