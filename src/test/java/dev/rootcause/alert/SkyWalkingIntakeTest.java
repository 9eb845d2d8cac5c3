package dev.rootcause.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.rootcause.Api.awaitIncident;
import static dev.rootcause.Api.incident;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import dev.rootcause.diagnosis.graph.CachedDependencyGraphs;
import io.quarkus.test.common.QuarkusTestResource;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/alerts/skywalking}: an alarm in OAP's webhook shape (src/test/resources/skywalking/) opens an
 * incident whose report names the slow downstream from SkyWalking's traces, topology and MQE metrics (WireMock standing in
 * for the OAP, {@link SkyWalkingWireMock}); its recovery resolves it; a malformed alarm is a 400 naming the field.
 */
@QuarkusTest
@QuarkusTestResource(value = SkyWalkingWireMock.class, restrictToAnnotatedClass = true)
class SkyWalkingIntakeTest {

    @Inject
    CachedDependencyGraphs graphs;

    private static io.restassured.response.Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/alerts/skywalking");
    }

    /** One MQE answer: {@code before} a minute over the hour before {@code at}, {@code after} from it to now. */
    private static void mqe(String service, String expression, Instant at, double before, double after) {
        ObjectNode answer = Payloads.JSON.createObjectNode();
        ObjectNode result = answer.putObject("data").putObject("result");
        result.put("type", "TIME_SERIES_VALUES");
        result.putNull("error");
        ObjectNode series = result.putArray("results").addObject();
        series.putObject("metric").putArray("labels");
        ArrayNode values = series.putArray("values");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        int i = 0;
        for (Instant t = at.minus(70, ChronoUnit.MINUTES); !t.isAfter(now); t = t.plus(1, ChronoUnit.MINUTES)) {
            double v = (t.isBefore(at) ? before : after) * (1 + 0.02 * ((i++ % 5) - 2));
            values.addObject().put("id", String.valueOf(t.toEpochMilli())).put("value", String.valueOf(v));
        }
        SkyWalkingWireMock.server().stubFor(WireMock.post(urlPathEqualTo("/graphql")).atPriority(2)
                .withRequestBody(matchingJsonPath("$.variables.expression", WireMock.equalTo(expression)))
                .withRequestBody(matchingJsonPath("$.variables.entity.serviceName", WireMock.equalTo(service)))
                .willReturn(okJson(answer.toString())));
    }

    /**
     * SkyWalking's traces of checkout in one window: {@code findService}, {@code queryBasicTraces} for the window
     * starting at {@code from} (trace ids {@code <tag>-0..5}), and those traces in one {@code queryTrace} batch, each
     * checkout → payments ({@code payMs}) then inventory (20 ms), in OAP's Span shape (trace.graphqls).
     */
    private static void traces(String tag, Instant from, long payMs) {
        SkyWalkingWireMock.server().stubFor(WireMock.post(urlPathEqualTo("/graphql")).atPriority(2)
                .withRequestBody(WireMock.containing("findService"))
                .willReturn(okJson("{\"data\":{\"service\":{\"id\":\"" + SkyWalkingWireMock.id("checkout") + "\",\"name\":\"checkout\"}}}")));
        ObjectNode brief = Payloads.JSON.createObjectNode();
        ArrayNode list = brief.putObject("data").putObject("result").putArray("traces");
        ObjectNode traces = Payloads.JSON.createObjectNode();
        ObjectNode data = traces.putObject("data");
        for (int i = 0; i < 6; i++) {
            String trace = tag + "-" + i;
            long t0 = from.plus(i, ChronoUnit.MINUTES).toEpochMilli();
            list.addObject().put("segmentId", trace + ".c").put("duration", payMs + 40).put("start", String.valueOf(t0))
                    .put("isError", false).putArray("traceIds").add(trace);
            ArrayNode spans = data.putObject("t" + i).putArray("spans");
            span(spans, trace, trace + ".c", 0, -1, null, "checkout", t0, t0 + payMs + 40, "Entry", "");
            span(spans, trace, trace + ".c", 1, 0, null, "checkout", t0 + 5, t0 + 5 + payMs, "Exit", "payments:8080");
            span(spans, trace, trace + ".p", 0, -1, trace + ".c", "payments", t0 + 6, t0 + 4 + payMs, "Entry", "");
            span(spans, trace, trace + ".c", 2, 0, null, "checkout", t0 + payMs + 10, t0 + payMs + 30, "Exit", "inventory:8080");
            span(spans, trace, trace + ".i", 0, -1, trace + ".c", "inventory", t0 + payMs + 11, t0 + payMs + 29, "Entry", "");
        }
        SkyWalkingWireMock.server().stubFor(WireMock.post(urlPathEqualTo("/graphql")).atPriority(2)
                .withRequestBody(WireMock.containing("queryBasicTraces"))
                .withRequestBody(matchingJsonPath("$.variables.condition.queryDuration.start",
                        WireMock.equalTo(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HHmm").withZone(java.time.ZoneOffset.UTC).format(from))))
                .willReturn(okJson(brief.toString())));
        SkyWalkingWireMock.server().stubFor(WireMock.post(urlPathEqualTo("/graphql")).atPriority(2)
                .withRequestBody(WireMock.containing("queryTrace(")).withRequestBody(matchingJsonPath("$.variables.id0", WireMock.equalTo(tag + "-0")))
                .willReturn(okJson(traces.toString())));
    }

    private static void span(ArrayNode spans, String trace, String segment, int id, int parent, String refSegment, String service,
            long start, long end, String type, String peer) {
        ObjectNode s = spans.addObject().put("traceId", trace).put("segmentId", segment).put("spanId", id).put("parentSpanId", parent);
        ArrayNode refs = s.putArray("refs");
        if (refSegment != null) {
            refs.addObject().put("traceId", trace).put("parentSegmentId", refSegment).put("parentSpanId", "payments".equals(service) ? 1 : 2)
                    .put("type", "CROSS_PROCESS");
        }
        s.put("serviceCode", service).put("serviceInstanceName", service + "-1").put("startTime", start).put("endTime", end)
                .put("endpointName", "/" + service).put("type", type).put("peer", peer).put("component", "SpringMVC")
                .put("isError", false).put("layer", "Http");
        s.putArray("tags");
        s.putArray("logs");
    }

    @Test
    void anAlarmOpensAnIncidentWhoseReportCitesSkyWalkingTopologyMetricsAndTraces() throws Exception {
        Instant at = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        traces("after", at, 1200);
        traces("before", at.minus(1, ChronoUnit.HOURS), 40);
        mqe("checkout", "service_resp_time", at, 85, 1320);
        mqe("checkout", "service_cpm", at, 120, 122);
        mqe("checkout", "service_sla/100", at, 99.9, 99.8);
        mqe("payments", "service_resp_time", at, 40, 1210);
        mqe("inventory", "service_resp_time", at, 22, 23);
        graphs.refresh();
        await().atMost(Api.DEADLINE).until(() -> given().get("/api/v1/graph").then().extract().body().asString().contains("payments"));

        String uuid = UUID.randomUUID().toString();
        ArrayNode body = (ArrayNode) Payloads.JSON.readTree(getClass().getResourceAsStream("/skywalking/alarm-webhook-10.x.json"));
        ((ObjectNode) body.get(0)).put("uuid", uuid).put("startTime", at.toEpochMilli()).put("name", "checkout");
        body.remove(1);
        post(body.toString()).then().statusCode(202).body("deliveryIds", hasSize(1));
        post(body.toString()).then().statusCode(202).body("status", equalTo("duplicate"));

        String groupKey = "{}:{alertname=\"service_resp_time_rule\", skywalking_entity=\"checkout\"}";
        long id = awaitIncident(groupKey).get("id").asLong();
        await().atMost(Api.DEADLINE).until(() -> !incident(id).get("report").isNull());
        JsonNode incident = incident(id);
        assertThat(incident.get("source").asText()).isEqualTo("skywalking");
        String markdown = incident.at("/report/markdown").asText();
        assertThat(markdown).as(markdown).contains("checkout waits on payments: in checkout's traced requests payments took")
                .contains("SkyWalking service_resp_time")
                .contains("topology from skywalking: inventory").contains("payments 40.00→")
                .startsWith("# checkout latency: latency 85 ms → ");
        SkyWalkingWireMock.server().verify(postRequestedFor(urlPathEqualTo("/graphql"))
                .withRequestBody(matchingJsonPath("$.variables.expression", WireMock.equalTo("service_resp_time")))
                .withRequestBody(matchingJsonPath("$.variables.entity.serviceName", WireMock.equalTo("payments"))));
        SkyWalkingWireMock.server().verify(postRequestedFor(urlPathEqualTo("/graphql")).withRequestBody(WireMock.containing("queryBasicTraces"))
                .withRequestBody(matchingJsonPath("$.variables.condition.serviceId", WireMock.equalTo(SkyWalkingWireMock.id("checkout")))));

        String recovery = body.toString().replace("\"layers\"", "\"recoveryTime\":" + Instant.now().toEpochMilli() + ",\"layers\"");
        post(recovery).then().statusCode(202);
        await().atMost(Api.DEADLINE).until(() -> "resolved".equals(incident(id).get("status").asText()));
    }

    @Test
    void aMalformedAlarmIs400NamingTheFieldAndNothingIsStored() {
        String body = "[{\"scope\":\"SERVICE\",\"name\":\"a\",\"ruleName\":\"r_rule\",\"startTime\":1764410400000},"
                + "{\"scope\":\"SERVICE\",\"name\":\"b\",\"ruleName\":\"r_rule\",\"startTime\":\"yesterday\"}]";
        post(body).then().statusCode(400).body(org.hamcrest.Matchers.containsString("[1].startTime"));
        assertThat(Api.incidentsOfGroup("{}:{alertname=\"r_rule\", skywalking_entity=\"a\"}")).isEmpty();
        post("{\"scope\":\"SERVICE\"}").then().statusCode(400).body(org.hamcrest.Matchers.containsString("JSON array"));
    }
}
