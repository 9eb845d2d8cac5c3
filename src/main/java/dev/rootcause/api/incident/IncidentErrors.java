package dev.rootcause.api.incident;

import dev.rootcause.incident.IncidentNotFoundException;
import dev.rootcause.incident.IncidentStateException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The incident API's errors as {@code {"error": "...", "field": "..."}}, for every resource that raises them. */
public class IncidentErrors {

    @ServerExceptionMapper
    public Response badRequest(IncidentResource.BadRequest e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage(), e.field);
    }

    @ServerExceptionMapper
    public Response notFound(IncidentNotFoundException e) {
        return error(Response.Status.NOT_FOUND, e.getMessage(), "id");
    }

    @ServerExceptionMapper
    public Response conflict(IncidentStateException e) {
        return error(Response.Status.CONFLICT, e.getMessage(), "status");
    }

    private static Response error(Response.Status status, String message, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message, "field", field)).build();
    }
}
