package dev.rootcause.incident;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The incident API: {@code GET /api/v1/incidents[?status=open&limit=100]},
 * {@code GET /api/v1/incidents/{id}}, {@code POST /api/v1/incidents/{id}/ack} and {@code .../resolve}
 * with an optional JSON body {@code {"by": "alice"}}. Shapes: {@link IncidentViews}.
 */
@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentResource {

    /** Most incidents one list call returns. */
    static final int MAX_LIMIT = 1000;

    private final IncidentStore store;
    private final IncidentService service;

    IncidentResource(IncidentStore store, IncidentService service) {
        this.store = store;
        this.service = service;
    }

    @GET
    public List<IncidentViews.Summary> list(@QueryParam("status") String status,
            @QueryParam("limit") @DefaultValue("100") int limit) throws SQLException {
        if (status != null && Arrays.stream(Incident.Status.values()).noneMatch(s -> s.wire().equals(status))) {
            throw new BadRequest("status", "expected one of open, acknowledged, resolved, reopened; got \"" + status + '"');
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequest("limit", "expected 1.." + MAX_LIMIT + ", got " + limit);
        }
        return store.list(status, limit).stream().map(IncidentViews.Summary::of).toList();
    }

    @GET
    @Path("/{id}")
    public IncidentViews.Detail get(@PathParam("id") long id) throws SQLException {
        Incident incident = store.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        return IncidentViews.Detail.of(incident, store.alerts(id), store.timeline(id));
    }

    @POST
    @Path("/{id}/ack")
    public IncidentViews.Summary acknowledge(@PathParam("id") long id, Actor actor) throws SQLException {
        return IncidentViews.Summary.of(service.acknowledge(id, Actor.name(actor)));
    }

    @POST
    @Path("/{id}/resolve")
    public IncidentViews.Summary resolve(@PathParam("id") long id, Actor actor) throws SQLException {
        return IncidentViews.Summary.of(service.resolve(id, Actor.name(actor)));
    }

    /** Who takes a lifecycle step; {@code by} defaults to {@code api}. */
    public record Actor(String by) {
        static String name(Actor actor) {
            return actor == null || actor.by() == null || actor.by().isBlank() ? "api" : actor.by().strip();
        }
    }

    static class BadRequest extends RuntimeException {
        final String field;

        BadRequest(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }
    }

    @ServerExceptionMapper
    Response badRequest(BadRequest e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage(), e.field);
    }

    @ServerExceptionMapper
    Response notFound(IncidentNotFoundException e) {
        return error(Response.Status.NOT_FOUND, e.getMessage(), "id");
    }

    @ServerExceptionMapper
    Response conflict(IncidentStateException e) {
        return error(Response.Status.CONFLICT, e.getMessage(), "status");
    }

    private static Response error(Response.Status status, String message, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message, "field", field)).build();
    }
}
