package dev.rootcause.api.diagnosis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rootcause.api.JsonBodies;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.OnDemandDiagnoses;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.report.ReportOutliner;
import dev.rootcause.report.render.MarkdownRenderer;
import dev.rootcause.support.StrictJson;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/v1/diagnose} {@code {"service": "checkout", "window": "30m"}}: runs the rules marked
 * {@code ondemand} for a synthetic alert on the service that started {@code window} ago (default 30m,
 * at most 7d), and answers the report: {@code markdown}, {@code rootCause}, {@code findings},
 * {@code evidence}, {@code partial}, {@code rules}. Nothing is stored. At most
 * {@code rootcause.diagnosis.ondemand-concurrency} run at once; more are answered 429 with Retry-After.
 */
@Path("/api/v1/diagnose")
@Tag(name = "diagnosis")
@SecurityRequirement(name = "apiToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class DiagnoseResource {

    private final OnDemandDiagnoses diagnoses;
    private final ObjectReader strict;

    DiagnoseResource(OnDemandDiagnoses diagnoses, ObjectMapper json) {
        this.diagnoses = diagnoses;
        this.strict = StrictJson.reader(json);
    }

    /** The answer. */
    public record OnDemandReport(String markdown, RootCause rootCause, List<Finding> findings, List<Evidence> evidence,
            List<String> partial, List<String> rules) {
    }

    @POST
    @Operation(summary = "Diagnose a service now", description = "Runs the rules marked ondemand: true for a synthetic alert on "
            + "the service that started `window` ago (default 30m, at most 7d); nothing is stored. At most "
            + "rootcause.diagnosis.ondemand-concurrency (default 2) run at once. The body is read as strictly as intake's.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DiagnoseRequest"),
            example = "{\"service\":\"cache-a\",\"window\":\"30m\"}"))
    @APIResponse(responseCode = "200", description = "The report.", content = @Content(schema = @Schema(implementation = OnDemandReport.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, no service, or a bad window, named.", content = @Content(schema = @Schema(ref = "Error"), example = 
            "{\"field\":\"service\",\"error\":\"service: required: the service name as its alerts label it\"}"))
    @APIResponse(responseCode = "415", ref = "NotJson")
    @APIResponse(responseCode = "429", description = "Too many on-demand diagnoses at once; retry after the Retry-After header's seconds.",
            content = @Content(schema = @Schema(ref = "Error")))
    public Response diagnose(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        JsonBodies.requireJson(contentType);
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? null : strict.readTree(body);
        } catch (JsonProcessingException e) {
            return bad("$", "malformed JSON: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject()) {
            return bad("$", "expected {\"service\": \"...\", \"window\": \"30m\"}");
        }
        JsonNode service = request.get("service");
        if (service == null || service.isNull()) {
            return bad("service", "required: the service name as its alerts label it");
        }
        if (!service.isTextual()) {
            return bad("service", "expected a string, got " + service.getNodeType().name().toLowerCase());
        }
        JsonNode w = request.get("window");
        if (w != null && !w.isNull() && !w.isTextual()) {
            return bad("window", "expected a duration string like \"30m\", got " + w.getNodeType().name().toLowerCase());
        }
        try {
            Duration window = OnDemandDiagnoses.window(w == null || w.isNull() ? null : w.textValue());
            OnDemandDiagnoses.Result r = diagnoses.run(service.textValue(), window, null);
            Diagnosis d = r.diagnosis();
            return Response.ok(new OnDemandReport(MarkdownRenderer.render(ReportOutliner.outline(r.title(), null, null, d)), d.rootCause(), d.findings(), d.evidence(),
                    d.partial(), d.rules())).build();
        } catch (OnDemandDiagnoses.InvalidRequest e) {
            return bad(e.field(), e.getMessage().substring(e.field().length() + 2));
        } catch (OnDemandDiagnoses.Busy e) {
            return Response.status(429).header("Retry-After", "5").entity(Map.of("error", e.getMessage())).build();
        }
    }

    private static Response bad(String field, String message) {
        return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("error", field + ": " + message, "field", field)).build();
    }
}
