package dev.rootcause.diagnosis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.report.MarkdownReport;
import dev.rootcause.rule.Durations;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/diagnose} {@code {"service": "checkout", "window": "30m"}}: runs the rules marked
 * {@code ondemand} for a synthetic alert on the service that started {@code window} ago (default 30m,
 * at most 7d), and answers the report: {@code markdown}, {@code rootCause}, {@code findings},
 * {@code evidence}, {@code partial}, {@code rules}. Nothing is stored.
 */
@Path("/api/v1/diagnose")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class DiagnoseResource {

    static final Duration MAX_WINDOW = Duration.ofDays(7);

    private final Diagnoser diagnoser;
    private final ObjectMapper json;
    private final Clock clock;

    DiagnoseResource(Diagnoser diagnoser, ObjectMapper json, Clock clock) {
        this.diagnoser = diagnoser;
        this.json = json;
        this.clock = clock;
    }

    /** The answer. */
    public record OnDemandReport(String markdown, RootCause rootCause, List<Finding> findings, List<Evidence> evidence,
            List<String> partial, List<String> rules) {
    }

    @POST
    public Response diagnose(String body) {
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            return bad("$", "malformed JSON: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject()) {
            return bad("$", "expected {\"service\": \"...\", \"window\": \"30m\"}");
        }
        JsonNode service = request.get("service");
        if (service == null || !service.isTextual() || service.textValue().isBlank() || service.textValue().length() > 200) {
            return bad("service", "required: the service name as its alerts label it (1-200 characters)");
        }
        Duration window;
        try {
            JsonNode w = request.get("window");
            window = w == null || w.isNull() ? Duration.ofMinutes(30) : Durations.parse(w.asText());
        } catch (IllegalArgumentException e) {
            return bad("window", e.getMessage());
        }
        if (window.compareTo(MAX_WINDOW) > 0) {
            return bad("window", "at most 7d");
        }
        Instant now = clock.instant();
        String title = "On-demand diagnosis of " + service.textValue() + " over the last " + Durations.format(window);
        AlertContext alert = new AlertContext(title, Map.of("service", service.textValue(), "alertname", "OnDemand"),
                Map.of(), now.minus(window), now);
        Diagnosis d = diagnoser.diagnoseOnDemand(alert);
        return Response.ok(new OnDemandReport(MarkdownReport.render(title, d), d.rootCause(), d.findings(), d.evidence(),
                d.partial(), d.rules())).build();
    }

    private static Response bad(String field, String message) {
        return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("error", field + ": " + message, "field", field)).build();
    }
}
