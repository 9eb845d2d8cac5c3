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

/**
 * {@code GET /api/v1/incidents/{id}/rule-test}: the incident's latest diagnosis as a rule-test folder, zipped
 * ({@link IncidentExport}: {@code incident-<id>/alert.json}, a recording file per evidence family that asked a
 * backend, {@code expected.yaml}, which opens with a note to correct it when a responder marked the root cause
 * wrong). 404 when the incident is unknown or has no diagnosis; 400 for an id that is
 * not a positive integer.
 */
@Path("/api/v1/incidents/{id}/rule-test")
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
    @Produces("application/zip")
    public Response export(@PathParam("id") String idParam) {
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
