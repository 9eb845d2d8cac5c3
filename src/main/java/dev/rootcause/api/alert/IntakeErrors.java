package dev.rootcause.api.alert;

import dev.rootcause.alert.InvalidPayloadException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps intake validation failures to {@code 400 {"error": "...", "field": "..."}} and counts them as
 * {@code rootcause_intake_deliveries_total{outcome="rejected"}} and
 * {@code rootcause_intake_rejected_total{reason="invalid"}} ({@link IntakeRejections}).
 */
public class IntakeErrors {

    private final MeterRegistry meters;

    IntakeErrors(MeterRegistry meters) {
        this.meters = meters;
    }

    @ServerExceptionMapper
    public Response invalid(InvalidPayloadException e, UriInfo uri) {
        count(uri);
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", e.getMessage(), "field", e.field())).build();
    }

    private void count(UriInfo uri) {
        IntakeRejections.count(meters, uri.getPath(), "invalid");
    }
}
