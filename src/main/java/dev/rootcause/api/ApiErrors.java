package dev.rootcause.api;

import dev.rootcause.incident.StoreException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * JSON bodies for the REST layer's own errors (unknown path 404, wrong method 405, 406 ...), so every
 * API error reads {@code {"error": "..."}} like the ones the resources produce.
 */
public class ApiErrors {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    /** Seconds a client should wait before it retries a request the store could not serve. */
    static final int RETRY_AFTER_SECONDS = 5;

    /**
     * A store failure that no resource handled itself (intake and the change hooks answer their own 503) is a
     * {@code 503 {"error": "..."}} with {@code Retry-After: 5} (seconds), never a 500: the request may succeed once
     * the store is back. The store's own message goes to the log, not to the client (it may name hosts).
     */
    @ServerExceptionMapper
    public Response storeDown(StoreException e) {
        LOG.warnf("answered 503: the store failed: %s", e.getMessage());
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .entity(Map.of("error", "the incident store is unavailable; retry later")).build();
    }

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
