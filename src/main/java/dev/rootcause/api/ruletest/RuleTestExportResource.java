package dev.rootcause.api.ruletest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.api.incident.IncidentResource;
import dev.rootcause.incident.FeedbackRepository;
import dev.rootcause.incident.IncidentNotFoundException;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.rule.RulesConfig;
import dev.rootcause.ruletest.IncidentExport;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/incidents/{id}/rule-test}: the incident's latest diagnosis as a rule-test folder, zipped
 * ({@link IncidentExport}: {@code incident-<id>/alert.json}, a recording file per evidence family that asked a
 * backend, {@code expected.yaml}, which opens with a note to correct it when a responder marked the root cause
 * wrong). 404 when the incident is unknown or has no diagnosis; 400 for an id that is
 * not a positive integer.
 */
@Path("/api/v1/incidents/{id}/rule-test")
@Tag(name = "incidents")
@SecurityRequirement(name = "apiToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class RuleTestExportResource {

    private final IncidentRepository incidents;
    private final ReportRepository reports;
    private final RulesConfig rules;
    private final ObjectMapper json;
    private final FeedbackRepository feedback;

    RuleTestExportResource(IncidentRepository incidents, ReportRepository reports, RulesConfig rules, ObjectMapper json,
            FeedbackRepository feedback) {
        this.feedback = feedback;
        this.incidents = incidents;
        this.reports = reports;
        this.rules = rules;
        this.json = json;
    }

    @GET
    @Operation(summary = "The incident as a rule-test folder (zip)", description = "incident-<id>/alert.json, one recording per "
            + "evidence kind its diagnosis read (prometheus.json, probes.json, redis.json, traces.json, logs.json, changes.json) "
            + "and expected.yaml: the latest diagnosis. docs/rules.md, \"Rule tests\".")
    @APIResponse(responseCode = "200", description = "The zip, as an attachment.",
            content = @Content(mediaType = "application/zip", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", description = "The id is not a positive integer.", content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "404", description = "No such incident, or it has no diagnosis yet.", content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "Error"), example = "{\"error\":\"incident 7 has no diagnosis to export\"}"))
    @Produces("application/zip")
    public Response export(@Parameter(description = "The incident's id, a positive integer", schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
            @PathParam("id") String idParam) {
        long id = IncidentResource.id(idParam);
        incidents.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        ReportRepository.Replayable r = reports.replayable(id)
                .orElseThrow(() -> new NotFoundException("incident " + id + " has no diagnosis to export"));
        byte[] zip = new IncidentExport(json, rules.vars())
                .zip(id, new IncidentExport.Diagnosed(r.alertContext(), r.recordings(), r.findings(), r.rootCause()),
                        IncidentExport.wrongNote(feedback.find(id).orElse(null)));
        return Response.ok(zip).header("Content-Disposition", "attachment; filename=\"" + IncidentExport.fileName(id) + "\"").build();
    }
}
