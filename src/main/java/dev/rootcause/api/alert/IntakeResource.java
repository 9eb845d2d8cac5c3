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
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class IntakeResource {

    private static final Logger LOG = Logger.getLogger(IntakeResource.class);

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
    }

    /** Alertmanager webhook receiver ({@code webhook_configs}, payload version 4). */
    @POST
    @Path("/alertmanager")
    public Response alertmanager(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        requireJson("alertmanager", contentType);
        return accept("alertmanager", body);
    }

    /** Grafana unified alerting webhook contact point. */
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
    @POST
    @Path("/zabbix")
    public Response zabbix(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        requireJson("zabbix", contentType);
        return accept("zabbix", body);
    }

    /**
     * SkyWalking OAP's alarm webhook (docs/skywalking.md): a JSON array of alarm messages, read by
     * {@code dev.rootcause.alert.SkyWalkingAlarmParser}; each alarm is its own delivery (stored as a one-element array). Answers 202 with
     * {@code deliveryIds} (a duplicate alarm adds none), 400 naming the field when any element is malformed (then
     * none is stored), 503 when the store is down (alarms stored before it failed stay stored; a retry is a duplicate).
     */
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
            count(source, "rejected");
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
