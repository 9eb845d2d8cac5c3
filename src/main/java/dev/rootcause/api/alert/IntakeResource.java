package dev.rootcause.api.alert;

import dev.rootcause.alert.WebhookParser;
import dev.rootcause.api.JsonBodies;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.DeliveryRepository;
import dev.rootcause.incident.Notification;
import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.pipeline.DeliveryProcessor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Webhook intake. Each body is validated, stored verbatim, and answered before any processing:
 * <ul>
 *   <li>{@code 202 {"status":"accepted","deliveryId":n,"alerts":k}}: stored; processed asynchronously</li>
 *   <li>{@code 200 {"status":"duplicate"}}: the same group and alert set was already stored (an HA
 *       peer's copy, a retry)</li>
 *   <li>{@code 200 {"status":"test"}}: Grafana's contact-point test; nothing stored</li>
 *   <li>{@code 400 {"error":..., "field":...}}: malformed; {@code 413}: over
 *       {@code rootcause.intake.max-body-size}; {@code 415}: not JSON; {@code 503}: the store is down, so the
 *       sender retries</li>
 * </ul>
 */
@Path("/api/v1/alerts")
@Tag(name = "intake")
@SecurityRequirement(name = "intakeToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "413", description = "Body over rootcause.intake.max-body-size (a JSON message when the body "
        + "announces its length; Vert.x's bare 413 for chunked bodies).")
@APIResponse(responseCode = "415", ref = "NotJson")
@APIResponse(responseCode = "503", description = "The store is down; nothing was stored and the sender retries (Alertmanager does).",
        content = @Content(schema = @Schema(ref = "Error"), example = "{\"error\":\"incident store unavailable; retry later\"}"))
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class IntakeResource {

    private static final Logger LOG = Logger.getLogger(IntakeResource.class);
    private static final String INTAKE = "The body is stored verbatim before the answer (a commit shared with concurrent "
            + "requests); processing is asynchronous, and nothing answered 202 is lost. Strict: a repeated JSON key, trailing "
            + "data, an empty alerts list, an empty groupKey or fingerprint, two alerts with one fingerprint, null label "
            + "values, NUL in text and years outside 0000-9999 are 400. docs/api.md, \"Intake\".";
    private static final String BAD = "Malformed JSON or a missing or invalid field, named in `field`.";
    private static final String ACCEPTED = "{\"status\":\"accepted\",\"deliveryId\":1,\"alerts\":2,\"truncatedAlerts\":0}";
    private static final String DUPLICATE = "{\"status\":\"duplicate\",\"message\":\"this group and alert set was already received\"}";

    private final WebhookParser parser;
    private final DeliveryRepository deliveries;
    private final DeliveryProcessor processor;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    IntakeResource(WebhookParser parser, DeliveryRepository deliveries, DeliveryProcessor processor, MeterRegistry meters) {
        this.parser = parser;
        this.deliveries = deliveries;
        this.processor = processor;
        this.meters = meters;
        IntakeRejections.register(meters);
    }

    /** Alertmanager webhook receiver ({@code webhook_configs}, payload version 4). */
    @Operation(summary = "Receive an Alertmanager webhook (payload version 4)", description = INTAKE)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT), examples = @ExampleObject(name = "firing", ref = "alertmanagerWebhook")))
    @APIResponse(responseCode = "202", description = "Stored; an incident is opened or updated asynchronously.",
            content = @Content(example = ACCEPTED))
    @APIResponse(responseCode = "200", description = "The same group (groupKey) and alert set (fingerprint, status, startsAt) "
            + "was already received, e.g. from the other Alertmanager of an HA pair; externalURL and receiver do not count.",
            content = @Content(example = DUPLICATE))
    @APIResponse(responseCode = "400", description = BAD, content = @Content(schema = @Schema(ref = "Error"),
            examples = @ExampleObject(name = "field", ref = "badField")))
    @POST
    @Path("/alertmanager")
    public Response alertmanager(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        requireJson("alertmanager", contentType);
        return accept("alertmanager", body);
    }

    /** Grafana unified alerting webhook contact point. */
    @Operation(summary = "Receive a Grafana unified alerting webhook", description = INTAKE
            + " Grafana's contact-point test (alertname TestAlert) is answered 200 {\"status\":\"test\"} and opens nothing.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT), examples = @ExampleObject(name = "firing", ref = "grafanaWebhook")))
    @APIResponse(responseCode = "202", description = "Stored; an incident is opened or updated asynchronously.",
            content = @Content(example = ACCEPTED))
    @APIResponse(responseCode = "200", description = "Already received (duplicate), or Grafana's contact-point test.",
            content = @Content(examples = {@ExampleObject(name = "duplicate", value = DUPLICATE),
                @ExampleObject(name = "test", value = "{\"status\":\"test\",\"message\":\"Grafana contact-point test received; no incident opened\"}")}))
    @APIResponse(responseCode = "400", description = BAD, content = @Content(schema = @Schema(ref = "Error"),
            examples = @ExampleObject(name = "field", ref = "badField")))
    @POST
    @Path("/grafana")
    public Response grafana(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        requireJson("grafana", contentType);
        Notification n = parser.parse("grafana", body);
        if (isContactPointTest(n)) {
            LOG.infof("Grafana contact-point test received (receiver %s); no incident opened", n.receiver());
            count("grafana", "test");
            return Response.ok(Map.of("status", "test",
                    "message", "Grafana contact-point test received; no incident opened")).build();
        }
        return store(n, body);
    }

    /**
     * One Zabbix event (a problem or its recovery) from the rootcause media type (docs/zabbix.md): the body is
     * {@code dev.rootcause.alert.ZabbixEventParser}'s; answered like the other webhooks.
     */
    @Operation(summary = "Receive one Zabbix event (problem or recovery) from the rootcause media type (docs/zabbix.md)", description = INTAKE)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "202", description = "Stored; an incident is opened or updated asynchronously.",
            content = @Content(example = ACCEPTED))
    @APIResponse(responseCode = "200", description = "Already received (duplicate).", content = @Content(example = DUPLICATE))
    @APIResponse(responseCode = "400", description = BAD, content = @Content(schema = @Schema(ref = "Error"),
            examples = @ExampleObject(name = "field", ref = "badField")))
    @POST
    @Path("/zabbix")
    public Response zabbix(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        requireJson("zabbix", contentType);
        return accept("zabbix", body);
    }

    /**
     * Datadog monitor notifications from the Webhooks integration, with the payload of docs/datadog.md
     * ({@code src/main/resources/datadog/webhook-payload.json}). Answers as the other intakes.
     */
    @Operation(summary = "Receive a Datadog monitor notification (Webhooks integration, payload of docs/datadog.md)", description = INTAKE)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "202", description = "Stored; an incident is opened or updated asynchronously.",
            content = @Content(example = ACCEPTED))
    @APIResponse(responseCode = "200", description = "Already received (duplicate).", content = @Content(example = DUPLICATE))
    @APIResponse(responseCode = "400", description = BAD, content = @Content(schema = @Schema(ref = "Error"),
            examples = @ExampleObject(name = "field", ref = "badField")))
    @POST
    @Path("/datadog")
    public Response datadog(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        requireJson("datadog", contentType);
        return store(parser.parseDatadog(body), body);
    }

    /**
     * SkyWalking OAP's alarm webhook (docs/skywalking.md): a JSON array of alarm messages, read by
     * {@code dev.rootcause.alert.SkyWalkingAlarmParser}; each alarm is its own delivery (stored as a one-element array). Answers 202 with
     * {@code deliveryIds} (a duplicate alarm adds none), 400 naming the field when any element is malformed (then
     * none is stored), 503 when the store is down (alarms stored before it failed stay stored; a retry is a duplicate).
     */
    @Operation(summary = "Receive SkyWalking OAP's alarm webhook (a JSON array of alarm messages; docs/skywalking.md)", description = INTAKE)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "202", description = "Each alarm stored as its own delivery (a duplicate adds none).",
            content = @Content(example = "{\"status\":\"accepted\",\"deliveryIds\":[7,8],\"duplicates\":0}"))
    @APIResponse(responseCode = "400", description = BAD, content = @Content(schema = @Schema(ref = "Error"),
            examples = @ExampleObject(name = "field", ref = "badField")))
    @POST
    @Path("/skywalking")
    public Response skywalking(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        requireJson("skywalking", contentType);
        List<Long> ids = new ArrayList<>();
        int duplicates = 0;
        for (byte[] one : parser.splitSkyWalking(body)) {
            Response r = store(parser.parse("skywalking", one), one);
            if (r.getStatus() == Response.Status.SERVICE_UNAVAILABLE.getStatusCode()) {
                return r;
            }
            if (r.getEntity() instanceof Map<?, ?> m && m.get("deliveryId") instanceof Long id) {
                ids.add(id);
            } else {
                duplicates++;
            }
        }
        return Response.accepted(Map.of("status", ids.isEmpty() ? "duplicate" : "accepted", "deliveryIds", ids,
                "duplicates", duplicates)).build();
    }

    private Response accept(String source, byte[] body) {
        return store(parser.parse(source, body), body);
    }

    private Response store(Notification n, byte[] body) {
        OptionalLong id;
        try {
            id = deliveries.append(n, body);
        } catch (StoreException e) {
            LOG.errorf(e, "store unavailable; refusing %s delivery for group %s so the sender retries", n.source(), n.groupKey());
            count(n.source(), "store_unavailable");
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .entity(Map.of("error", "incident store unavailable; retry later")).build();
        }
        if (id.isEmpty()) {
            count(n.source(), "duplicate");
            return Response.ok(Map.of("status", "duplicate",
                    "message", "this group and alert set was already received")).build();
        }
        count(n.source(), "accepted");
        processor.wake();
        return Response.accepted(Map.of("status", "accepted", "deliveryId", id.getAsLong(),
                "alerts", n.alerts().size(), "truncatedAlerts", n.truncatedAlerts())).build();
    }

    /** JSON or no Content-Type ({@link JsonBodies#requireJson}); a refusal is counted as rejected. */
    private void requireJson(String source, String contentType) {
        try {
            JsonBodies.requireJson(contentType);
        } catch (JsonBodies.UnsupportedBody e) {
            IntakeRejections.count(meters, source, "unsupported_media_type");
            throw e;
        }
    }

    /**
     * Grafana's "Test" button on a contact point sends alerts labelled {@code alertname=TestAlert},
     * {@code instance=Grafana} with the summary "Notification test" (grafana/alerting, notify/testing.go).
     */
    public static boolean isContactPointTest(Notification n) {
        return !n.alerts().isEmpty() && n.alerts().stream().allMatch(IntakeResource::isTestAlert);
    }

    private static boolean isTestAlert(Alert a) {
        return "TestAlert".equals(a.labels().get("alertname"))
                && ("Grafana".equals(a.labels().get("instance"))
                        || "Notification test".equals(a.annotations().get("summary")));
    }

    /** Counters are looked up once per (source, outcome): a registry lookup per request showed in the profile. */
    private void count(String source, String outcome) {
        counters.computeIfAbsent(source + '/' + outcome,
                k -> meters.counter("rootcause.intake.deliveries", "source", source, "outcome", outcome)).increment();
    }
}
