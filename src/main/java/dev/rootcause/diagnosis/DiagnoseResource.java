package dev.rootcause.diagnosis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rootcause.JsonBodies;
import dev.rootcause.report.MarkdownReport;
import dev.rootcause.rule.Durations;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;
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
import java.util.concurrent.Semaphore;

/**
 * {@code POST /api/v1/diagnose} {@code {"service": "checkout", "window": "30m"}}: runs the rules marked
 * {@code ondemand} for a synthetic alert on the service that started {@code window} ago (default 30m,
 * at most 7d), and answers the report: {@code markdown}, {@code rootCause}, {@code findings},
 * {@code evidence}, {@code partial}, {@code rules}. Nothing is stored. At most
 * {@code rootcause.diagnosis.ondemand-concurrency} run at once; more are answered 429 with Retry-After.
 */
@Path("/api/v1/diagnose")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class DiagnoseResource {

    static final Duration MAX_WINDOW = Duration.ofDays(7);

    static final int MAX_SERVICE = 200;

    private final Diagnoser diagnoser;
    private final ObjectReader strict;
    private final DiagnosisConfig config;
    private final Semaphore running;
    private final Clock clock;

    DiagnoseResource(Diagnoser diagnoser, ObjectMapper json, DiagnosisConfig config, Clock clock) {
        this.diagnoser = diagnoser;
        this.strict = JsonBodies.strict(json);
        this.config = config;
        this.running = new Semaphore(config.ondemandConcurrency());
        this.clock = clock;
    }

    /** The answer. */
    public record OnDemandReport(String markdown, RootCause rootCause, List<Finding> findings, List<Evidence> evidence,
            List<String> partial, List<String> rules) {
    }

    @POST
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
        String name = service.textValue();
        if (name.isBlank() || name.length() > MAX_SERVICE) {
            return bad("service", "expected 1-" + MAX_SERVICE + " characters, got " + name.length());
        }
        if (JsonBodies.unstorable(name) != null) {
            return bad("service", JsonBodies.unstorable(name));
        }
        Duration window;
        JsonNode w = request.get("window");
        if (w == null || w.isNull()) {
            window = Duration.ofMinutes(30);
        } else if (!w.isTextual()) {
            return bad("window", "expected a duration string like \"30m\", got " + w.getNodeType().name().toLowerCase());
        } else {
            try {
                window = Durations.parse(w.textValue());
            } catch (IllegalArgumentException e) {
                return bad("window", e.getMessage());
            }
        }
        if (window.compareTo(MAX_WINDOW) > 0) {
            return bad("window", "at most 7d");
        }
        if (!running.tryAcquire()) {
            return Response.status(429).header("Retry-After", "5").entity(Map.of("error", "already running "
                    + config.ondemandConcurrency() + " on-demand diagnoses (rootcause.diagnosis.ondemand-concurrency); retry shortly"))
                    .build();
        }
        try {
            Instant now = clock.instant();
            String title = "On-demand diagnosis of " + name + " over the last " + Durations.format(window);
            AlertContext alert = new AlertContext(title, Map.of("service", name, "alertname", "OnDemand"), Map.of(),
                    now.minus(window), now, true);
            Diagnosis d = diagnoser.diagnoseOnDemand(alert);
            return Response.ok(new OnDemandReport(MarkdownReport.render(title, d), d.rootCause(), d.findings(), d.evidence(),
                    d.partial(), d.rules())).build();
        } finally {
            running.release();
        }
    }

    private static Response bad(String field, String message) {
        return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("error", field + ": " + message, "field", field)).build();
    }
}
