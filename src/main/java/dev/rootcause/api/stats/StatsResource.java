package dev.rootcause.api.stats;

import dev.rootcause.incident.Feedback;
import dev.rootcause.incident.FeedbackRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/stats}: how right the root causes were, per rule, as responders judged them on the incident
 * page or in Discord, e.g. {@code {"feedback":[{"rule":"cache-hit-rate","right":4,"wrong":1,"notJudged":7},
 * {"rule":null,"right":0,"wrong":2,"notJudged":0}]}}; {@code rule} null counts verdicts on incidents whose diagnosis
 * determined no root cause. {@code notJudged}: incidents whose latest root cause is the rule's and carry no verdict.
 */
@Path("/api/v1/stats")
@Tag(name = "diagnosis")
@SecurityRequirement(name = "apiToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    /** The answer; one entry per rule that has verdicts or root causes, sorted by rule id. */
    public record Stats(List<Feedback.RuleCounts> feedback) {
    }

    private final FeedbackRepository feedback;

    StatsResource(FeedbackRepository feedback) {
        this.feedback = feedback;
    }

    @GET
    @Operation(summary = "Responders' verdicts on root causes, per rule")
    @APIResponse(responseCode = "200", description = "Responders' verdicts on root causes, per rule.")
    public Stats stats() {
        return new Stats(feedback.countsPerRule());
    }
}
