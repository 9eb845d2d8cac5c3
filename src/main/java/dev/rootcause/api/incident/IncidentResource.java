package dev.rootcause.api.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rootcause.api.JsonBodies;
import dev.rootcause.incident.FeedbackRepository;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentNotFoundException;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.incident.pipeline.IncidentService;
import dev.rootcause.incident.pipeline.IncidentViews;
import dev.rootcause.rule.Durations;
import dev.rootcause.support.StrictJson;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The incident API: {@code GET /api/v1/incidents[?status=open&since=6h&limit=100]} ({@code service=} is a 400 until the
 * store can filter on it),
 * {@code GET /api/v1/incidents/{id}}, {@code POST /api/v1/incidents/{id}/ack} and {@code .../resolve}
 * with an optional JSON body {@code {"by": "alice"}}. Shapes: {@link IncidentViews}.
 */
@Path("/api/v1/incidents")
@Tag(name = "incidents")
@SecurityRequirement(name = "apiToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentResource {

    /** Most incidents one list call returns. */
    static final int MAX_LIMIT = 1000;
    private static final String ID = "The incident's id, a positive integer";
    private static final String ID_400 = "The id is not a positive integer.";
    private static final String ID_400_EXAMPLE = "{\"field\":\"id\",\"error\":\"id: expected a positive integer incident id, got \\\"x\\\"\"}";
    /** The 400 of an acknowledge or resolve: a bad id or a bad body ({@link #actor}). */
    private static final String STEP_400 = ID_400 + " Or a bad body, the field named: malformed JSON, a repeated key or "
            + "trailing data, an unknown field, a `by` that is not a non-empty string.";
    private static final String BY_400_EXAMPLE = "{\"field\":\"by\",\"error\":\"by: expected a non-empty string of at most 200 characters\"}";
    private static final String BY = "Optional: who takes the step, 1-200 characters without control characters; default api "
            + "(an empty body or {}). The only field; read strictly.";

    private final IncidentRepository store;
    private final IncidentService service;
    private final ReportRepository reports;
    private final ObjectReader strict;
    private final Clock clock;
    private final FeedbackRepository feedback;

    IncidentResource(IncidentRepository store, IncidentService service, ReportRepository reports, ObjectMapper json,
            FeedbackRepository feedback, Clock clock) {
        this.clock = clock;
        this.feedback = feedback;
        this.reports = reports;
        this.store = store;
        this.service = service;
        this.strict = StrictJson.reader(json);
    }

    @GET
    @Operation(summary = "List incidents, newest first", description = "Summaries (no alerts, timeline or report); no paging yet.")
    @APIResponse(responseCode = "200", description = "The incidents.")
    @APIResponse(responseCode = "400", description = "An unknown status, a limit outside 1-1000, a bad since, or service (not supported yet).", content = @Content(
            schema = @Schema(ref = "Error"), example = "{\"field\":\"limit\",\"error\":\"limit: expected an integer 1..1000, got \\\"0\\\"\"}"))
    public List<IncidentViews.Summary> list(
            @Parameter(description = "open, acknowledged, resolved or reopened; absent: all") @QueryParam("status") String status,
            @Parameter(description = "1-1000", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100"))
            @QueryParam("limit") @DefaultValue("100") String limitParam,
            @Parameter(description = "RFC 3339 (2024-05-14T08:00:00Z) or a duration back from now (6h): only incidents opened then or later; absent: all")
            @QueryParam("since") String since,
            @Parameter(description = "not supported here yet: 400 (the incident pages filter by service)") @QueryParam("service") String service) {
        if (service != null) {
            // the service is read from labels stored as JSON text, which the store cannot filter on; a silently
            // ignored filter would answer every incident
            throw new BadRequest("service", "not supported by GET /api/v1/incidents yet; filter the answer on commonLabels.service, "
                    + "or use the incident pages (/incidents?service=)");
        }
        if (status != null && Arrays.stream(Incident.Status.values()).noneMatch(s -> s.wire().equals(status))) {
            throw new BadRequest("status", "expected one of open, acknowledged, resolved, reopened; got \"" + status + '"');
        }
        int limit = limit(limitParam);
        return store.list(status, since(since), limit).stream().map(IncidentViews.Summary::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One incident with its alerts, timeline and report",
            description = "Adds receiver, externalURL, group and common labels, alerts, timeline and report (null until a diagnosis exists).")
    @APIResponse(responseCode = "200", description = "The incident.")
    @APIResponse(responseCode = "400", description = ID_400, content = @Content(schema = @Schema(ref = "Error"), example = ID_400_EXAMPLE))
    @APIResponse(responseCode = "404", description = "No incident with this id.", content = @Content(schema = @Schema(ref = "Error"),
            example = "{\"field\":\"id\",\"error\":\"no incident with id 99\"}"))
    public IncidentViews.Detail get(@Parameter(description = ID, schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
            @PathParam("id") String idParam) {
        long id = id(idParam);
        Incident incident = store.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        return IncidentViews.Detail.of(incident, store.alerts(id), store.timeline(id), reports.latest(id).orElse(null),
                feedback.find(id).orElse(null));
    }

    @Operation(summary = "Acknowledge an incident", description = "Repeating it is a no-op 200. Acknowledging a resolved incident is 409.")
    @RequestBody(description = BY, content = @Content(schema = @Schema(ref = "Actor"), example = "{\"by\":\"alice\"}"))
    @APIResponse(responseCode = "200", description = "The incident summary after the step.")
    @APIResponse(responseCode = "400", description = STEP_400, content = @Content(schema = @Schema(ref = "Error"),
            examples = {@ExampleObject(name = "id", value = ID_400_EXAMPLE), @ExampleObject(name = "by", value = BY_400_EXAMPLE)}))
    @APIResponse(responseCode = "404", description = "No incident with this id.", content = @Content(schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "415", ref = "NotJson")
    @APIResponse(responseCode = "409", description = "The incident is resolved.", content = @Content(schema = @Schema(ref = "Error"),
            example = "{\"field\":\"status\",\"error\":\"incident 1 is resolved; it cannot be acknowledged\"}"))
    @POST
    @Path("/{id}/ack")
    @Consumes(MediaType.WILDCARD)
    public IncidentViews.Summary acknowledge(@Parameter(description = ID, schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
            @PathParam("id") String id, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return IncidentViews.Summary.of(service.acknowledge(id(id), actor(contentType, body)));
    }

    @Operation(summary = "Resolve an incident", description = "Repeating it is a no-op 200. ")
    @RequestBody(description = BY, content = @Content(schema = @Schema(ref = "Actor"), example = "{\"by\":\"alice\"}"))
    @APIResponse(responseCode = "200", description = "The incident summary after the step.")
    @APIResponse(responseCode = "400", description = STEP_400, content = @Content(schema = @Schema(ref = "Error"),
            examples = {@ExampleObject(name = "id", value = ID_400_EXAMPLE), @ExampleObject(name = "by", value = BY_400_EXAMPLE)}))
    @APIResponse(responseCode = "404", description = "No incident with this id.", content = @Content(schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "415", ref = "NotJson")
    @POST
    @Path("/{id}/resolve")
    @Consumes(MediaType.WILDCARD)
    public IncidentViews.Summary resolve(@Parameter(description = ID, schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
            @PathParam("id") String id, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return IncidentViews.Summary.of(service.resolve(id(id), actor(contentType, body)));
    }

    /** A {@code limit} query parameter: 1..{@link #MAX_LIMIT}, else 400 naming {@code limit}. */
    static int limit(String text) {
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // fall through to the 400
        }
        throw new BadRequest("limit", "expected an integer 1.." + MAX_LIMIT + ", got \"" + text + '"');
    }

    /** A {@code since}: RFC 3339, or a duration back from now as the changes API reads it; null when absent or blank. */
    private Instant since(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException notATime) {
            try {
                return clock.instant().minus(Durations.parse(text.strip()));
            } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
                throw new BadRequest("since", "expected RFC 3339 (2024-05-14T08:00:00Z) or a duration back from now (6h); got \"" + text + '"');
            }
        }
    }

    /** A path incident id: a positive long, else 400 naming {@code id}. */
    public static long id(String text) {
        return id(text, "incident");
    }

    /** A path id of {@code what} (an incident, an effect …): a positive long, else 400 naming {@code id}. */
    public static long id(String text, String what) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // fall through to the 400
        }
        throw new BadRequest("id", "expected a positive integer " + what + " id, got \"" + text + '"');
    }

    /**
     * Who takes a lifecycle step: {@code {"by": "alice"}}, read strictly as every body ({@link StrictJson}); an empty
     * body (whatever its Content-Type: there is nothing to read) or {@code {}} means {@code api}.
     *
     * @throws JsonBodies.UnsupportedBody a non-empty body that is not JSON by its Content-Type; 415
     * @throws BadRequest naming the field: malformed JSON, a repeated key or trailing data ({@code $} or the key),
     *                    an unknown field, a {@code by} that is not a non-empty string (null too)
     */
    private String actor(String contentType, byte[] body) {
        if (body == null || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return "api";
        }
        JsonBodies.requireJson(contentType);
        JsonNode node;
        try {
            node = strict.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest(StrictJson.field(e), "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new BadRequest("$", "unreadable body: " + e.getMessage());
        }
        if (!node.isObject()) {
            throw new BadRequest("$", "expected a JSON object like {\"by\": \"alice\"}");
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!"by".equals(f)) {
                throw new BadRequest(f, "unknown field; the only field is \"by\", e.g. {\"by\": \"alice\"}");
            }
        });
        JsonNode by = node.get("by");
        if (by == null) {
            return "api";
        }
        if (!by.isTextual() || by.textValue().isBlank() || by.textValue().length() > 200) {
            throw new BadRequest("by", "expected a non-empty string of at most 200 characters");
        }
        // NUL cannot be stored in PostgreSQL text, and a line break in a name would forge log and timeline lines
        if (by.textValue().chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest("by", "expected a name without control characters (NUL, line breaks, tabs)");
        }
        return by.textValue().strip();
    }

    /** A bad request parameter; answered 400 naming the field. */
    static class BadRequest extends RuntimeException {
        final String field;

        BadRequest(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }
    }
}
