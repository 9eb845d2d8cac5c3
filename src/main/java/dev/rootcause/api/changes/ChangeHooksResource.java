package dev.rootcause.api.changes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rootcause.api.JsonBodies;
import dev.rootcause.changes.ChangeRequest;
import dev.rootcause.changes.ChangeStore;
import dev.rootcause.changes.ChangeView;
import dev.rootcause.changes.hooks.ArgoCdNotifications;
import dev.rootcause.changes.hooks.GitHubDeployments;
import dev.rootcause.changes.hooks.GitLabDeployments;
import dev.rootcause.changes.hooks.Hooked;
import dev.rootcause.changes.hooks.HooksConfig;
import dev.rootcause.changes.hooks.PagerDutyChanges;
import dev.rootcause.incident.StoreException;
import dev.rootcause.support.StrictJson;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Change events from the tools teams already use (docs/changes.md), each mapped to one change event in the change store:
 * {@code POST /api/v1/changes/github} (GitHub {@code deployment_status}, signed with {@code X-Hub-Signature-256}),
 * {@code /gitlab} (GitLab deployment events, {@code X-Gitlab-Token}), {@code /argocd} (the body of rootcause's Argo CD
 * notification template) and {@code /pagerduty} (PagerDuty Events API v2 change events).
 *
 * <p>Answers: 201 {@code {"status": "created", "change": ...}}; 200 {@code {"status": "duplicate", "change": <the stored
 * one>}} for a change already recorded (a redelivery, a later status of the same deployment); 200 {@code {"status":
 * "ignored", "reason": ...}} for a body that is no change (a ping, a queued deployment); 400 naming the field; 401 for a
 * missing or wrong signature or token; 503 when the store is down (the sender retries). PagerDuty's endpoint answers
 * 202 where the others answer 200 or 201, as PagerDuty's own API does ({@code "status": "success"}), with rootcause's
 * fields beside.
 */
@Path("/api/v1/changes")
@Tag(name = "changes")
@SecurityRequirement(name = "intakeToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "415", ref = "NotJson")
@APIResponse(responseCode = "503", description = "The store is down; nothing was recorded and the sender retries.",
        content = @Content(schema = @Schema(ref = "Error")))
@Produces(MediaType.APPLICATION_JSON)
public class ChangeHooksResource {

    private static final String HOOK_ANSWERS = "201 created, 200 a duplicate (the stored change) or a body ignored with the "
            + "reason (docs/changes.md).";

    private static final Logger LOG = Logger.getLogger(ChangeHooksResource.class);

    private final ChangeStore store;
    private final HooksConfig config;
    private final ObjectMapper json;
    private final ObjectReader strict;
    private final Clock clock;

    ChangeHooksResource(ChangeStore store, HooksConfig config, ObjectMapper json, Clock clock) {
        this.store = store;
        this.config = config;
        this.json = json;
        this.strict = StrictJson.reader(json);
        this.clock = clock;
    }

    @Operation(summary = "GitHub deployment_status webhook (X-Hub-Signature-256 when rootcause.changes.hooks.github.secret is set; then no bearer token)", description = HOOK_ANSWERS)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "201", description = "A change event recorded.")
    @APIResponse(responseCode = "200", description = "Already recorded (the stored change), or ignored with the reason.")
    @APIResponse(responseCode = "400", description = "Malformed JSON or a missing or invalid field, named in `field`.",
            content = @Content(schema = @Schema(ref = "Error")))
    @POST
    @Path("/github")
    @Consumes(MediaType.WILDCARD)
    public Response github(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @HeaderParam("X-Hub-Signature-256") String signature,
            @HeaderParam("X-GitHub-Event") String event, byte[] body) {
        if (config.github().secret().filter(s -> !s.isBlank()).isPresent()
                && !GitHubDeployments.signed(body == null ? new byte[0] : body, signature, config.github().secret().get())) {
            return unauthorized(signature == null ? "missing X-Hub-Signature-256 (the webhook's secret is rootcause.changes.hooks.github.secret)"
                    : "X-Hub-Signature-256 does not match the body signed with rootcause.changes.hooks.github.secret", "X-Hub-Signature-256");
        }
        return handle("github", contentType, body, node -> GitHubDeployments.map(event, node, config.github().services()), false);
    }

    @Operation(summary = "GitLab deployment event (X-Gitlab-Token when rootcause.changes.hooks.gitlab.token is set; then no bearer token)", description = HOOK_ANSWERS)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "201", description = "A change event recorded.")
    @APIResponse(responseCode = "200", description = "Already recorded (the stored change), or ignored with the reason.")
    @APIResponse(responseCode = "400", description = "Malformed JSON or a missing or invalid field, named in `field`.",
            content = @Content(schema = @Schema(ref = "Error")))
    @POST
    @Path("/gitlab")
    @Consumes(MediaType.WILDCARD)
    public Response gitlab(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @HeaderParam("X-Gitlab-Token") String token,
            @HeaderParam("X-Gitlab-Event") String event, byte[] body) {
        if (config.gitlab().token().filter(s -> !s.isBlank()).isPresent() && !GitLabDeployments.tokenMatches(token, config.gitlab().token().get())) {
            return unauthorized(token == null ? "missing X-Gitlab-Token (the webhook's secret token is rootcause.changes.hooks.gitlab.token)"
                    : "X-Gitlab-Token does not match rootcause.changes.hooks.gitlab.token", "X-Gitlab-Token");
        }
        return handle("gitlab", contentType, body, node -> GitLabDeployments.map(event, node, config.gitlab().services()), false);
    }

    @Operation(summary = "Argo CD notification from rootcause's template (deploy/argocd/rootcause-notifications.yaml)", description = HOOK_ANSWERS)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "201", description = "A change event recorded.")
    @APIResponse(responseCode = "200", description = "Already recorded (the stored change), or ignored with the reason.")
    @APIResponse(responseCode = "400", description = "Malformed JSON or a missing or invalid field, named in `field`.",
            content = @Content(schema = @Schema(ref = "Error")))
    @POST
    @Path("/argocd")
    @Consumes(MediaType.WILDCARD)
    public Response argocd(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return handle("argocd", contentType, body, ArgoCdNotifications::map, false);
    }

    @Operation(summary = "PagerDuty Events API v2 change event", description = "Answered 202 whether recorded, a duplicate "
            + "or ignored, as PagerDuty's own API does; the body says which (`status`).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "202", description = "Recorded, already recorded or ignored (see `status`).")
    @APIResponse(responseCode = "400", description = "Malformed JSON or a missing or invalid field, named in `field`.",
            content = @Content(schema = @Schema(ref = "Error")))
    @POST
    @Path("/pagerduty")
    @Consumes(MediaType.WILDCARD)
    public Response pagerduty(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return handle("pagerduty", contentType, body, node -> PagerDutyChanges.map(node, config.pagerduty().routingKeys(), json), true);
    }

    /** Reads, maps and records one body; never logs the body (a PagerDuty body carries its routing key). */
    private Response handle(String hook, String contentType, byte[] body, Function<JsonNode, Hooked> mapping, boolean pagerDuty) {
        JsonBodies.requireJson(contentType);
        JsonNode node;
        try {
            node = body == null || body.length == 0 ? null : strict.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return bad("$", "malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return bad("$", "expected a JSON object");
        }
        Hooked hooked;
        try {
            hooked = mapping.apply(node);
        } catch (ChangeRequest.Rejected e) {
            return bad(e.field, e.getMessage());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        if (pagerDuty) {
            answer.put("message", hooked.change() == null ? "Change event ignored" : "Change event processed");
        }
        if (hooked.change() == null) {
            answer.put("status", pagerDuty ? "success" : "ignored");
            answer.put("reason", hooked.ignored());
            return Response.status(pagerDuty ? Response.Status.ACCEPTED : Response.Status.OK).entity(answer).build();
        }
        ChangeStore.Saved saved;
        try {
            saved = store.record(hooked.change(), clock.instant());
        } catch (StoreException e) {
            LOG.errorf(e, "store unavailable; refusing a %s change event so the sender retries", hook);
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", 30).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "change store unavailable; retry")).build();
        }
        answer.put("status", pagerDuty ? "success" : saved.created() ? "created" : "duplicate");
        answer.put("created", saved.created());
        answer.put("change", ChangeView.of(saved.stored()));
        if (saved.created()) {
            LOG.infof("change %s of %s recorded from %s", saved.stored().change().id(), saved.stored().change().service(), hook);
        }
        Response.Status status = pagerDuty ? Response.Status.ACCEPTED : saved.created() ? Response.Status.CREATED : Response.Status.OK;
        return Response.status(status).entity(answer).build();
    }

    private static Response unauthorized(String message, String field) {
        return Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message, "field", field)).build();
    }

    private static Response bad(String field, String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message, "field", field)).build();
    }
}
