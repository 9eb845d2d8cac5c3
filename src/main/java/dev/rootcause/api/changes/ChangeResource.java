package dev.rootcause.api.changes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rootcause.api.JsonBodies;
import dev.rootcause.changes.ChangeRequest;
import dev.rootcause.changes.ChangeStore;
import dev.rootcause.changes.ChangeVerifier;
import dev.rootcause.changes.ChangeView;
import dev.rootcause.changes.StoredChange;
import dev.rootcause.diagnosis.port.ChangeEvent;
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
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The change-event API (docs/api.md, "Changes"): {@code POST /api/v1/changes} (201 created, 200 the same id and
 * body again, 409 the same id with another body, 400 naming the field), {@code GET /api/v1/changes
 * [?service=&kind=&source=&since=&limit=]}, {@code GET /api/v1/changes/{id}}, and post-deploy verification:
 * {@code POST /api/v1/changes/{id}/verify} (202 while pending) and {@code GET /api/v1/changes/{id}/verify}.
 */
@Path("/api/v1/changes")
@Tag(name = "changes")
@SecurityRequirement(name = "intakeToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
public class ChangeResource {

    private final ChangeStore store;
    private final ChangeVerifier verifier;
    private final ObjectMapper json;
    private final ObjectReader strict;
    private final Clock clock;

    ChangeResource(ChangeStore store, ChangeVerifier verifier, ObjectMapper json, Clock clock) {
        this.store = store;
        this.verifier = verifier;
        this.json = json;
        this.strict = StrictJson.reader(json);
        this.clock = clock;
    }

    @POST
    @Operation(summary = "Record a change (deploy, rollback, config, flag, infra, other)", description = "id (your pipeline's id; "
            + "letters, digits, . _ : @ + -), service and version are required; time defaults to when it is received; kind "
            + "defaults to deploy; source names the sending system; link must be http(s); \"verify\": true also asks for a post-deploy verification.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ChangeRequest"),
            example = "{\"id\":\"checkout-pipeline-1287\",\"service\":\"checkout\",\"version\":\"1.42.0\",\"previousVersion\":\"1.41.3\","
                    + "\"time\":\"2025-11-29T10:00:00Z\",\"kind\":\"deploy\",\"source\":\"gitlab-ci\",\"link\":\"https://ci.example/checkout/pipelines/1287\",\"verify\":true}"))
    @APIResponse(responseCode = "201", description = "Recorded.", content = @Content(schema = @Schema(implementation = ChangeView.class)))
    @APIResponse(responseCode = "200", description = "The same id came again with the same body (a retried post is safe): the stored change.",
            content = @Content(schema = @Schema(implementation = ChangeView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON or a missing or invalid field, named.", content = @Content(schema = @Schema(ref = "Error"), example = 
            "{\"error\":\"time: expected RFC 3339 ...\",\"field\":\"time\"}"))
    @APIResponse(responseCode = "409", description = "The same id came with a different body; the stored change is in `existing`.", content = @Content(schema = @Schema(ref = "Error"), example = 
            "{\"error\":\"change checkout-pipeline-1287 exists with a different body\",\"field\":\"id\",\"existing\":{}}"))
    @APIResponse(responseCode = "415", ref = "NotJson")
    @Consumes(MediaType.WILDCARD)
    public Response post(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        JsonBodies.requireJson(contentType);
        JsonNode node;
        try {
            // bytes, not a String: Jackson's UTF-8 decoding rejects invalid bytes (as intake's does), where a String
            // body would have turned them into U+FFFD
            node = body == null || body.length == 0 ? null : strict.readTree(body);
        } catch (JsonProcessingException e) {
            return bad(StrictJson.field(e), "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            return bad("$", "unreadable body: " + e.getMessage());
        }
        ChangeRequest request;
        try {
            request = ChangeRequest.parse(node);
        } catch (ChangeRequest.Rejected e) {
            return bad(e.field, e.getMessage());
        }
        ChangeStore.Saved saved;
        try {
            saved = store.save(request, request.bodyHash(json), clock.instant());
        } catch (ChangeStore.Conflict e) {
            return Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", e.getMessage(), "field", "id", "existing", ChangeView.of(e.existing))).build();
        }
        StoredChange stored = saved.stored();
        if (request.verify()) {
            verifier.request(stored);
            stored = store.find(stored.change().id()).orElseThrow();
        }
        return Response.status(saved.created() ? Response.Status.CREATED : Response.Status.OK).entity(ChangeView.of(stored)).build();
    }

    @GET
    @Operation(summary = "List changes, newest first")
    @APIResponse(responseCode = "200", description = "The changes.")
    @APIResponse(responseCode = "400", description = "A bad service, since, kind, source or limit, named.", content = @Content(schema = @Schema(ref = "Error"), example = 
            "{\"error\":\"kind: expected one or more of [config, deploy, flag, infra, other, rollback], comma-separated; got \\\"x\\\"\",\"field\":\"kind\"}"))
    public List<ChangeView> list(@Parameter(description = "only this service (1-200 characters)") @QueryParam("service") String service,
            @Parameter(description = "RFC 3339 (2024-05-14T08:00:00Z) or a duration back from now (6h); default 7 days") @QueryParam("since") String since,
            @Parameter(description = "kinds of change, comma-separated or repeated (config,flag); absent: every kind") @QueryParam("kind") List<String> kind,
            @Parameter(description = "the sending system (github, gitlab, argocd, pagerduty, or what a client named); a kind here is read as kind= with a deprecation warning") @QueryParam("source") List<String> source,
            @Parameter(description = "1-1000", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100"))
            @QueryParam("limit") @DefaultValue("100") String limit) {
        if (service != null && (service.isBlank() || service.length() > 200)) {
            throw new Bad("service", "expected 1..200 characters");
        }
        Set<String> kinds = kinds("kind", kind);
        String sender = null;
        if (source != null && !source.isEmpty()) {
            if (source.size() == 1 && !source.get(0).contains(",") && !ChangeEvent.KINDS.contains(source.get(0).strip())) {
                sender = source.get(0).strip();
                if (sender.isEmpty() || sender.length() > 200) {
                    throw new Bad("source", "expected a sender of 1..200 characters, e.g. github");
                }
            } else if (kinds.isEmpty()) {
                // before issue 24, ?source= filtered on the kind of change
                dev.rootcause.support.Deprecations.warnOnce("changes.query-source-as-kind", "GET /api/v1/changes?source=<kind> is "
                        + "read as ?kind=<kind>; use kind= (source= now filters on the sender, e.g. source=github)");
                kinds = kinds("source", source);
            } else {
                throw new Bad("source", "a kind of change given as source= besides kind=; use kind= only");
            }
        }
        return store.list(service, kinds, sender, since(since), limit(limit)).stream().map(ChangeView::of).toList();
    }

    /** {@code kind=config,flag} or {@code kind=config&kind=flag}; none: every kind. */
    static Set<String> kinds(String field, List<String> params) {
        Set<String> out = new TreeSet<>();
        for (String param : params == null ? List.<String>of() : params) {
            for (String s : param.split(",", -1)) {
                String name = s.strip();
                if (!ChangeEvent.KINDS.contains(name)) {
                    throw new Bad(field, "expected one or more of " + new TreeSet<>(ChangeEvent.KINDS)
                            + ", comma-separated; got " + (name.length() > 40 ? "a value of " + name.length() + " characters" : "\"" + name + '"'));
                }
                out.add(name);
            }
        }
        return out;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One change", description = "With receivedAt and, when one was asked, its verification.")
    @APIResponse(responseCode = "200", description = "The change.")
    @APIResponse(responseCode = "404", description = "No change with this id.", content = @Content(schema = @Schema(ref = "Error"), example = "{\"error\":\"no change x\",\"field\":\"id\"}"))
    public ChangeView get(@PathParam("id") String id) {
        return ChangeView.of(existing(id));
    }

    /** Starts (once) a verification; 202 while it is pending, 200 once decided. */
    @POST
    @Path("/{id}/verify")
    @Operation(summary = "Ask for a post-deploy verification (a rollout gate)", description = "Each check of "
            + "rootcause.changes.verify.checks compares the before window with the time since the change, "
            + "rootcause.changes.verify.delay after it. Repeating the call is harmless.")
    @APIResponse(responseCode = "202", description = "Pending: poll GET .../verify after retryAfterSeconds.", content = @Content(
            schema = @Schema(implementation = ChangeView.VerificationView.class),
            example = "{\"change\":\"checkout-pipeline-1287\",\"status\":\"pending\",\"dueAt\":\"2025-11-29T10:10:00Z\",\"retryAfterSeconds\":540}"))
    @APIResponse(responseCode = "200", description = "Decided: pass, fail or error (error never passes).",
            content = @Content(schema = @Schema(implementation = ChangeView.VerificationView.class)))
    @APIResponse(responseCode = "404", description = "No change with this id.", content = @Content(schema = @Schema(ref = "Error")))
    @Consumes(MediaType.WILDCARD)
    public Response verify(@PathParam("id") String id) {
        StoredChange stored = existing(id);
        verifier.request(stored);
        StoredChange now = verifier.runIfDue(store.find(id).orElseThrow());
        ChangeView.VerificationView v = ChangeView.verification(now, json, clock.instant());
        return Response.status("pending".equals(v.status()) ? Response.Status.ACCEPTED : Response.Status.OK).entity(v).build();
    }

    /** The verification's state: {@code pending} (poll again after {@code retryAfterSeconds}), {@code pass}, {@code fail}, {@code error}. */
    @GET
    @Path("/{id}/verify")
    @Operation(summary = "The verification's state", description = "pending (with a Retry-After header), pass, fail or error, "
            + "and result.checks[] with each check's outcome and evidence. A gate must not open on error (missing evidence).")
    @APIResponse(responseCode = "200", description = "The verification.",
            content = @Content(schema = @Schema(implementation = ChangeView.VerificationView.class)))
    @APIResponse(responseCode = "404", description = "No change with this id, or no verification was asked.", content = @Content(schema = @Schema(ref = "Error"), example = 
            "{\"error\":\"change x has no verification; POST /api/v1/changes/x/verify starts one\",\"field\":\"id\"}"))
    public Response verification(@PathParam("id") String id) {
        StoredChange stored = existing(id);
        if (stored.verification() == null) {
            throw new NotFound("change " + id + " has no verification; POST /api/v1/changes/" + id + "/verify starts one");
        }
        ChangeView.VerificationView v = ChangeView.verification(verifier.runIfDue(stored), json, clock.instant());
        Response.ResponseBuilder r = Response.ok(v);
        if ("pending".equals(v.status())) {
            r.header("Retry-After", v.retryAfterSeconds());
        }
        return r.build();
    }

    private StoredChange existing(String id) {
        if (!ChangeRequest.ID.matcher(id).matches()) {
            throw new Bad("id", "not a change id");
        }
        return store.find(id).orElseThrow(() -> new NotFound("no change " + id));
    }

    private Instant since(String text) {
        if (text == null || text.isBlank()) {
            return clock.instant().minus(java.time.Duration.ofDays(7));
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notATime) {
            try {
                return clock.instant().minus(Durations.parse(text));
            } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
                // not a duration, or one reaching before Instant.MIN
                throw new Bad("since", "expected RFC 3339 (2024-05-14T08:00:00Z) or a duration back from now (6h); got \"" + text + '"');
            }
        }
    }

    private static int limit(String text) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the 400 below
        }
        throw new Bad("limit", "expected an integer 1..1000, got \"" + text + '"');
    }

    private static Response bad(String field, String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message, "field", field)).build();
    }

    /** 400 naming the field. */
    static final class Bad extends RuntimeException {
        final String field;

        Bad(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }
    }

    /** 404. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    @org.jboss.resteasy.reactive.server.ServerExceptionMapper
    public Response mapBad(Bad e) {
        return bad(e.field, e.getMessage());
    }

    @org.jboss.resteasy.reactive.server.ServerExceptionMapper
    public Response mapNotFound(NotFound e) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", e.getMessage(), "field", "id")).build();
    }
}
