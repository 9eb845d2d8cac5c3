package dev.rootcause.alert;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps intake validation failures to {@code 400 {"error": "...", "field": "..."}}. */
public class IntakeErrors {

    @ServerExceptionMapper
    public Response invalid(InvalidPayloadException e) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", e.getMessage(), "field", e.field())).build();
    }
}
