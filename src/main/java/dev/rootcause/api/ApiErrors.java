package dev.rootcause.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * JSON bodies for the REST layer's own errors (unknown path 404, wrong method 405, 406 ...), so every
 * API error reads {@code {"error": "..."}} like the ones the resources produce.
 */
public class ApiErrors {

    @ServerExceptionMapper
    public Response unsupported(JsonBodies.UnsupportedBody e) {
        return Response.status(Response.Status.UNSUPPORTED_MEDIA_TYPE).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", e.getMessage(), "field", "Content-Type")).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response r = e.getResponse();
        String message = e.getMessage() == null || e.getMessage().isBlank()
                ? r.getStatusInfo().getReasonPhrase() : e.getMessage();
        return Response.status(r.getStatus()).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
