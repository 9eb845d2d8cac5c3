package dev.rootcause.api.stats;

import dev.rootcause.incident.Feedback;
import dev.rootcause.incident.FeedbackRepository;
import dev.rootcause.incident.stats.ResponseTimeStats;
import dev.rootcause.incident.stats.ResponseTimes;
import dev.rootcause.rule.Durations;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/stats[?since=30d]}: how right the root causes were, and how fast incidents were answered.
 * <ul>
 *   <li>{@code feedback} (all time, unchanged by {@code since}): per rule, as responders judged them on the incident
 *       page or in Discord, e.g. {@code [{"rule":"cache-hit-rate","right":4,"wrong":1,"notJudged":7},
 *       {"rule":null,"right":0,"wrong":2,"notJudged":0}]}; {@code rule} null counts verdicts on incidents whose
 *       diagnosis determined no root cause; {@code notJudged}: incidents whose latest root cause is the rule's and carry
 *       no verdict.</li>
 *   <li>{@code since}: the period as asked (Prometheus style, {@code 90m}, {@code 12h}, {@code 30d}; default 30d).</li>
 *   <li>{@code responseTimes}: incidents opened in the period ({@link ResponseTimes.Summary}): {@code overall},
 *       {@code byService}, {@code byRule}, {@code bySeverity}, each group with {@code incidents}, {@code reopened} and,
 *       for {@code firstReport}, {@code acknowledge} and {@code resolve}: {@code count}, {@code pending},
 *       {@code p50Seconds}, {@code p90Seconds}, {@code maxSeconds}, {@code meanSeconds} (null when count is 0), measured
 *       from the earliest alert {@code startsAt} (docs/operations.md, "Response times").</li>
 * </ul>
 * A {@code since} that is not a positive duration answers {@code 400 {"error":..., "field":"since"}}.
 */
@Path("/api/v1/stats")
@Tag(name = "diagnosis")
@SecurityRequirement(name = "apiToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    /** The period when {@code since} is not given. */
    static final String DEFAULT_SINCE = "30d";

    /** The answer; feedback has one entry per rule that has verdicts or root causes, sorted by rule id. */
    public record Stats(List<Feedback.RuleCounts> feedback, String since, ResponseTimes.Summary responseTimes) {
    }

    private final FeedbackRepository feedback;
    private final ResponseTimeStats responseTimes;

    StatsResource(FeedbackRepository feedback, ResponseTimeStats responseTimes) {
        this.feedback = feedback;
        this.responseTimes = responseTimes;
    }

    @GET
    @Operation(summary = "Responders' verdicts on root causes per rule, and response times over a period")
    @APIResponse(responseCode = "200", description = "Verdicts per rule (all time) and response times of the incidents opened in the period.")
    @APIResponse(responseCode = "400", description = "since is not a positive duration (30d, 12h, 90m), named.",
            content = @Content(schema = @Schema(ref = "Error")))
    public Response stats(@QueryParam("since") String since) {
        String period = since == null || since.isBlank() ? DEFAULT_SINCE : since.strip();
        Duration d;
        try {
            d = Durations.parse(period);
            if (d.isZero()) {
                throw new IllegalArgumentException("expected a positive duration like 30d, got " + period);
            }
        } catch (IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "since: " + e.getMessage(), "field", "since")).build();
        }
        return Response.ok(new Stats(feedback.countsPerRule(), period, responseTimes.over(d))).build();
    }
}
