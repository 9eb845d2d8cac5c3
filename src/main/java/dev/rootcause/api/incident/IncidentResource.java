package dev.rootcause.api.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.incident.FeedbackRepository;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentNotFoundException;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.incident.pipeline.IncidentService;
import dev.rootcause.incident.pipeline.IncidentViews;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;

/**
 * The incident API: {@code GET /api/v1/incidents[?status=open&limit=100]},
 * {@code GET /api/v1/incidents/{id}}, {@code POST /api/v1/incidents/{id}/ack} and {@code .../resolve}
 * with an optional JSON body {@code {"by": "alice"}}. Shapes: {@link IncidentViews}.
 */
@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentResource {

    /** Most incidents one list call returns. */
    static final int MAX_LIMIT = 1000;

    private final IncidentRepository store;
    private final IncidentService service;
    private final ReportRepository reports;
    private final ObjectMapper json;
    private final FeedbackRepository feedback;

    IncidentResource(IncidentRepository store, IncidentService service, ReportRepository reports, ObjectMapper json,
            FeedbackRepository feedback) {
        this.feedback = feedback;
        this.reports = reports;
        this.store = store;
        this.service = service;
        this.json = json;
    }

    @GET
    public List<IncidentViews.Summary> list(@QueryParam("status") String status,
            @QueryParam("limit") @DefaultValue("100") String limitParam) {
        if (status != null && Arrays.stream(Incident.Status.values()).noneMatch(s -> s.wire().equals(status))) {
            throw new BadRequest("status", "expected one of open, acknowledged, resolved, reopened; got \"" + status + '"');
        }
        int limit = limit(limitParam);
        return store.list(status, limit).stream().map(IncidentViews.Summary::of).toList();
    }

    @GET
    @Path("/{id}")
    public IncidentViews.Detail get(@PathParam("id") String idParam) {
        long id = id(idParam);
        Incident incident = store.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        return IncidentViews.Detail.of(incident, store.alerts(id), store.timeline(id), reports.latest(id).orElse(null),
                feedback.find(id).orElse(null));
    }

    @POST
    @Path("/{id}/ack")
    @Consumes(MediaType.WILDCARD)
    public IncidentViews.Summary acknowledge(@PathParam("id") String id, String body) {
        return IncidentViews.Summary.of(service.acknowledge(id(id), actor(body)));
    }

    @POST
    @Path("/{id}/resolve")
    @Consumes(MediaType.WILDCARD)
    public IncidentViews.Summary resolve(@PathParam("id") String id, String body) {
        return IncidentViews.Summary.of(service.resolve(id(id), actor(body)));
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

    /** Who takes a lifecycle step: {@code {"by": "alice"}}; an empty body or no {@code by} means {@code api}. */
    private String actor(String body) {
        if (body == null || body.isBlank()) {
            return "api";
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("$", "malformed JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new BadRequest("$", "expected a JSON object like {\"by\": \"alice\"}");
        }
        JsonNode by = node.get("by");
        if (by == null || by.isNull()) {
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
