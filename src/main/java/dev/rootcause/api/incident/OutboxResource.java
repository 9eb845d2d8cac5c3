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

/**
 * {@code GET /api/v1/outbox[?status=pending|done|dead&limit=100]}: effects, newest first, with attempts
 * and the last error; {@code POST /api/v1/outbox/{id}/retry}: a dead effect back in line now (404 when
 * there is no dead effect with that id).
 */
@Path("/api/v1/outbox")
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
    public List<Outbox.Effect> list(@QueryParam("status") String status, @QueryParam("limit") @DefaultValue("100") String limit)
            {
        if (status != null && !STATUSES.contains(status)) {
            throw new IncidentResource.BadRequest("status", "expected pending, done or dead; got \"" + status + '"');
        }
        return outbox.list(status, IncidentResource.limit(limit));
    }

    @POST
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
