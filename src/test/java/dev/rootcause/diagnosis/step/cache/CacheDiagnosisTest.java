package dev.rootcause.diagnosis.step.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.rootcause.source.metrics.PrometheusWireMock.server;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import dev.rootcause.source.metrics.PrometheusWireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache-hit-rate rule through the whole service, with WireMock answering as Prometheus: alert in,
 * report with root cause and evidence out, ticket opened; Prometheus down gives a partial report.
 */
@QuarkusTest
@QuarkusTestResource(value = PrometheusWireMock.class, restrictToAnnotatedClass = true)
class CacheDiagnosisTest {

    private Instant alertStart;

    @BeforeEach
    void reset() {
        server().resetAll();
        alertStart = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void penetrationIsConcludedWithTheReturnedNumbers() {
        stubCache(0.95, 0.05, 10, 300, 1, 1, 0, 0);

        JsonNode incident = postAlertAndAwaitReport();
        // each hit ratio says what it is the mean over: the hour before the alert, and the alert's start to now
        assertThat(incident.at("/rootCause/summary").asText()).matches(
                "Cache hit ratio of cache-a collapsed from 95% \\(mean over \\d\\d:\\d\\d–\\d\\d:\\d\\d UTC, 60 min\\) to"
                        + " 5% \\(mean over \\d\\d:\\d\\d:\\d\\d–\\d\\d:\\d\\d:\\d\\d UTC, \\d+ s\\) while misses rose 30× \\(10/s → 300/s\\); expirations"
                        + " \\(1/s\\) and evictions \\(0/s\\) stayed flat, so the misses are requests for keys that do not exist in the cache"
                        + " and were never cached \\(cache penetration\\)");
        assertThat(incident.at("/rootCause/confidence").asText()).isEqualTo("medium");
        assertThat(incident.at("/report/markdown").asText()).contains("lowered from high: only metric evidence")
                .contains("## Runbook").contains("/graph?g0.expr=");
        assertThat(incident.at("/ticket/key").asText()).startsWith("RC-");
        given().get(incident.at("/ticket/url").asText()).then().statusCode(200)
                .body("incidentId", equalTo(incident.get("id").intValue())).body("labels", org.hamcrest.Matchers.containsString("incident-"));
        given().get("/api/v1/tickets/RC-0").then().statusCode(404);
        given().get("/api/v1/tickets/nope").then().statusCode(404).body("error", equalTo("no ticket nope"));
        server().verify(4, postRequestedFor(urlEqualTo("/api/v1/query_range"))
                .withFormParam("query", containing("{service=\"cache-a\"}[1m]")));
    }

    @Test
    void exportedIncidentReplaysToTheSameRootCause(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        stubCache(0.9, 0.1, 5, 100, 1, 90, 0, 0);
        JsonNode incident = postAlertAndAwaitReport();
        assertThat(incident.at("/rootCause/summary").asText()).contains("expir");
        byte[] zip = given().get("/api/v1/incidents/" + incident.get("id").asLong() + "/rule-test")
                .then().statusCode(200).contentType("application/zip").extract().asByteArray();
        java.nio.file.Path rules = tmp.resolve("rules");
        java.nio.file.Files.createDirectories(rules.resolve("tests"));
        java.nio.file.Files.copy(java.nio.file.Path.of("rules/cache-hit-rate.yaml"), rules.resolve("cache-hit-rate.yaml"));
        // the alert is read again with the rules folder's symptom vocabulary, as the service read it
        java.nio.file.Files.copy(java.nio.file.Path.of("rules/symptoms.yaml"), rules.resolve("symptoms.yaml"));
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                java.nio.file.Path target = rules.resolve("tests").resolve(entry.getName());
                java.nio.file.Files.createDirectories(target.getParent());
                java.nio.file.Files.write(target, in.readAllBytes());
            }
        }
        assertThat(java.nio.file.Files.readString(rules.resolve("tests/incident-" + incident.get("id").asLong() + "/expected.yaml")))
                .contains("finding: \"mass-expiry\"");
        var out = new java.io.ByteArrayOutputStream();
        int failed = new dev.rootcause.ruletest.RuleTestRunner(new java.io.PrintStream(out, true)).run(rules);
        assertThat(failed).as(out.toString()).isZero();
        assertThat(out.toString()).contains("1 passed, 0 failed");
    }

    @Test
    void prometheusDownMakesThePartialReportSaySo() {
        server().stubFor(post(urlEqualTo("/api/v1/query_range")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        JsonNode incident = postAlertAndAwaitReport();
        assertThat(incident.get("rootCause").isNull()).isTrue();
        String markdown = incident.at("/report/markdown").asText();
        assertThat(markdown).contains("**Partial report**").contains("prometheus error: Prometheus at http://127.0.0.1:")
                .contains("## Not checked");
        assertThat(incident.get("status").asText()).isEqualTo("open");
        assertThat(incident.at("/ticket/key").asText()).as("the alert is not hidden").startsWith("RC-");
    }

    @Test
    void aReDiagnosisThatChangesTheRootCauseCommentsOnTheTicketOnce() {
        stubCache(0.95, 0.05, 10, 300, 1, 1, 0, 0);
        JsonNode first = postAlertAndAwaitReport();
        long id = first.get("id").asLong();
        String key = first.at("/ticket/key").asText();
        ObjectNode firing = lastAlertBody;
        Api.post("alertmanager", Payloads.withStatus(firing, "resolved").toString()).then().statusCode(202);
        Api.awaitTimeline(id, "ticket_closed", 1);

        server().resetAll(); // Prometheus goes away: the re-diagnosis determines no root cause
        server().stubFor(post(urlEqualTo("/api/v1/query_range")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        ObjectNode again = firing.deepCopy();
        ((ObjectNode) again.at("/alerts/0")).put("startsAt", alertStart.plusSeconds(30).toString());
        Api.post("alertmanager", again.toString()).then().statusCode(202);
        JsonNode incident = Api.awaitTimeline(id, "ticket_comment", 1);
        assertThat(incident.get("timeline").toString()).contains("ticket_reopened");
        JsonNode comments = Api.read(given().get("/api/v1/tickets/" + key + "/comments").then().statusCode(200).extract().asString());
        assertThat(comments).hasSize(1);
        assertThat(comments.get(0).asText()).contains("Was: Cache hit ratio of cache-a collapsed from 95% (mean over ").contains(") to 5% (mean over ")
                .contains("Now: not determined");
        given().get("/api/v1/tickets/" + key).then().statusCode(200).body("status", equalTo("open"));
    }

    @Test
    void onDemandValidatesItsInput() {
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/diagnose").then().statusCode(400).body("field", equalTo("service"));
        given().contentType(ContentType.JSON).body("{\"service\":\"x\",\"window\":\"soon\"}").post("/api/v1/diagnose")
                .then().statusCode(400).body("field", equalTo("window"));
        given().contentType(ContentType.JSON).body("{\"service\":\"x\",\"window\":\"30d\"}").post("/api/v1/diagnose")
                .then().statusCode(400).body("field", equalTo("window"));
        given().contentType(ContentType.JSON).body("[").post("/api/v1/diagnose").then().statusCode(400).body("field", equalTo("$"));
        given().contentType(ContentType.JSON).body("{\"service\":42}").post("/api/v1/diagnose").then().statusCode(400)
                .body("error", equalTo("service: expected a string, got number"));
        given().contentType(ContentType.JSON).body("{\"service\":\"" + "s".repeat(201) + "\"}").post("/api/v1/diagnose")
                .then().statusCode(400).body("error", equalTo("service: expected 1-200 characters, got 201"));
        given().contentType(ContentType.JSON).body("{\"service\":\"a\",\"service\":\"b\"}").post("/api/v1/diagnose")
                .then().statusCode(400).body("field", equalTo("$"));
        given().contentType(ContentType.JSON).body("{\"service\":\"a\\u0000\"}").post("/api/v1/diagnose")
                .then().statusCode(400).body("field", equalTo("service"));
        given().contentType(ContentType.JSON).body("{\"service\":\"a\",\"window\":[]}").post("/api/v1/diagnose")
                .then().statusCode(400).body("error", equalTo("window: expected a duration string like \"30m\", got array"));
        given().contentType("text/plain").body("{\"service\":\"a\"}").post("/api/v1/diagnose").then().statusCode(415);
        given().get("/api/v1/incidents/abc/rule-test").then().statusCode(400).body("field", equalTo("id"));
        given().get("/api/v1/incidents/999999999/rule-test").then().statusCode(404).body("error", equalTo("no incident with id 999999999"));
    }

    @Test
    void onDemandRunsOndemandRules() {
        stubCache(0.95, 0.94, 10, 11, 1, 1, 0, 0);
        given().contentType(ContentType.JSON).body("{\"service\":\"cache-b\",\"window\":\"1m\"}").post("/api/v1/diagnose")
                .then().statusCode(200).body("rules[0]", equalTo("cache-hit-rate"))
                .body("rootCause", org.hamcrest.Matchers.nullValue())
                .body("findings.findAll { it.rule == 'cache-hit-rate' && it.id != 'miss-key-pattern' }.verdict",
                        org.hamcrest.Matchers.everyItem(equalTo("rules_out")))
                .body("findings.findAll { it.rule == 'cache-hit-rate' }", org.hamcrest.Matchers.hasSize(4))
                // no log backend in this test, but the hit ratio held: false whatever the logs would say, so ruled out
                .body("findings.find { it.id == 'miss-key-pattern' }.verdict", equalTo("rules_out"))
                // the application, network and dependency rules run on demand too; this Prometheus has none of their
                // metrics and cache-b is not in the service catalogue
                .body("findings.findAll { it.rule != 'cache-hit-rate' && it.rule != 'http-5xx-after-deploy' && it.rule != 'config-change'"
                        + " && it.id != 'cert-expiring' }.verdict", org.hamcrest.Matchers.everyItem(equalTo("no_data")))
                // no change event ever reached rootcause for cache-b: the change rules did not check, so they rule nothing out
                .body("findings.findAll { it.rule == 'http-5xx-after-deploy' || it.rule == 'config-change' }.verdict",
                        org.hamcrest.Matchers.everyItem(equalTo("no_data")))
                .body("evidence.find { it.step == 'deploy' }.status", equalTo("skipped"))
                .body("evidence.find { it.step == 'deploy' }.reason",
                        org.hamcrest.Matchers.startsWith("no change events reach rootcause for cache-b (wire your CI/CD"))
                // a near certificate expiry explains only an alert about the certificate, and "OnDemand" is none
                .body("findings.find { it.id == 'cert-expiring' }.verdict", equalTo("rules_out"));
    }

    private ObjectNode lastAlertBody;

    private JsonNode postAlertAndAwaitReport() {
        ObjectNode body = Payloads.unique("alertmanager-real-cache-hit-rate-low.json");
        ((ObjectNode) body.at("/alerts/0")).put("startsAt", alertStart.toString());
        lastAlertBody = body;
        Api.post("alertmanager", body.toString()).then().statusCode(202);
        long id = Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong();
        return await().atMost(Api.DEADLINE).until(() -> Api.incident(id),
                i -> !i.get("report").isNull() && !i.get("ticket").isNull());
    }

    /** Prometheus answers for the cache rule's four queries: each series' value before and after the alert. */
    private void stubCache(double hitBefore, double hitAfter, double missBefore, double missAfter, double expBefore,
            double expAfter, double evictBefore, double evictAfter) {
        stub(matching("^sum\\(rate\\(redis_keyspace_hits_total.* / \\(sum.*"), hitBefore, hitAfter);
        stub(matching("^sum\\(rate\\(redis_keyspace_misses_total.*"), missBefore, missAfter);
        stub(containing("redis_expired_keys_total"), expBefore, expAfter);
        stub(containing("redis_evicted_keys_total"), evictBefore, evictAfter);
    }

    /** A one-series matrix: 3 points of {@code before} in the hour before the alert, 2 of {@code after} after it. */
    private void stub(com.github.tomakehurst.wiremock.matching.StringValuePattern query, double before, double after) {
        Map<Long, Double> points = new HashMap<>();
        for (int m : new int[] {30, 20, 10}) {
            points.put(alertStart.minus(m, ChronoUnit.MINUTES).getEpochSecond(), before);
        }
        points.put(alertStart.plusSeconds(10).getEpochSecond(), after);
        points.put(alertStart.plusSeconds(20).getEpochSecond(), after);
        StringBuilder values = new StringBuilder();
        points.keySet().stream().sorted().forEach(t -> values.append(values.length() == 0 ? "" : ",")
                .append('[').append(t).append(",\"").append(points.get(t)).append("\"]"));
        MappingBuilder mapping = post(urlEqualTo("/api/v1/query_range")).withFormParam("query", query)
                .willReturn(okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":["
                        + values + "]}]}}"));
        server().stubFor(mapping);
    }
}
