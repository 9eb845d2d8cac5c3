package dev.rootcause.changes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.rootcause.source.metrics.PrometheusWireMock.server;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.TestClock;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The change API and post-deploy verification, through HTTP; subclasses run it on H2 and PostgreSQL. */
abstract class ChangeApiContract {

    static final Instant DEPLOY = Instant.parse("2026-03-01T10:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestClock clock;

    String id;

    @BeforeEach
    void setUp() {
        clock.set(DEPLOY.plusSeconds(30));
        id = "ci-" + UUID.randomUUID();
        server().resetAll();
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    String change(String id, String service, String version) {
        return "{\"id\":\"" + id + "\",\"service\":\"" + service + "\",\"version\":\"" + version + "\",\"previousVersion\":\"1.41.3\","
                + "\"commitRange\":\"a1b2c3..d4e5f6\",\"author\":\"alice\",\"time\":\"" + DEPLOY + "\",\"kind\":\"deploy\","
                + "\"source\":\"jenkins\",\"environment\":\"production\","
                + "\"link\":\"https://ci.example/run/42\"}";
    }

    static io.restassured.response.Response postChange(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/changes");
    }

    @Test
    void sameIdSameBodyIsTheSameRecordAndAnotherBodyConflicts() {
        postChange(change(id, "checkout", "1.42.0")).then().statusCode(201)
                .body("id", equalTo(id)).body("service", equalTo("checkout")).body("version", equalTo("1.42.0"))
                .body("previousVersion", equalTo("1.41.3")).body("time", equalTo("2026-03-01T10:00:00Z"))
                .body("receivedAt", equalTo("2026-03-01T10:00:30Z")).body("kind", equalTo("deploy")).body("source", equalTo("jenkins"));
        clock.advance(Duration.ofMinutes(1));
        postChange(change(id, "checkout", "1.42.0")).then().statusCode(200)
                .body("id", equalTo(id)).body("receivedAt", equalTo("2026-03-01T10:00:30Z"));
        postChange(change(id, "checkout", "1.42.1")).then().statusCode(409)
                .body("field", equalTo("id")).body("existing.version", equalTo("1.42.0"));
        given().get("/api/v1/changes/" + id).then().statusCode(200).body("version", equalTo("1.42.0"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"service\":\"a\",\"version\":\"1\"}|id",
        "{\"id\":\"x y\",\"service\":\"a\",\"version\":\"1\"}|id",
        "{\"id\":\"ID\",\"version\":\"1\"}|service",
        "{\"id\":\"ID\",\"service\":\"\",\"version\":\"1\"}|service",
        "{\"id\":\"ID\",\"service\":\"a\"}|version",
        "{\"id\":\"ID\",\"service\":\"a\",\"version\":1}|version",
        "{\"id\":\"ID\",\"service\":\"a\",\"version\":\"1\",\"time\":\"yesterday\"}|time",
        "{\"id\":\"ID\",\"service\":\"a\",\"version\":\"1\",\"time\":\"2026-03-01T10:00:00\"}|time",
        "{\"id\":\"ID\",\"service\":\"a\",\"version\":\"1\",\"time\":\"+10000-01-01T00:00:00Z\"}|time",
        "{\"id\":\"ID\",\"service\":\"a\",\"version\":\"1\",\"time\":\"-0001-01-01T00:00:00Z\"}|time",
        "{\"id\":\"ID\",\"service\":\"a\",\"version\":\"1\",\"kind\":\"magic\"}|kind",
        "{\"id\":\"ID\",\"service\":\"a\",\"version\":\"1\",\"link\":\"javascript:alert(1)\"}|link",
        "{\"id\":\"ID\",\"service\":\"a\",\"version\":\"1\",\"verify\":\"yes\"}|verify",
        "{\"id\":\"ID\",\"service\":\"a\",\"version\":\"1\",\"colour\":\"red\"}|colour",
        "{\"id\":\"ID\",\"service\":\"a\",\"version\":\"1\",\"id\":\"ID2\"}|id",
        "{\"id\":\"ID\",\"service\":\"a\",\"version\":\"1\"} {}|$",
        "{\"id\":\"ID\",\"service\":\"s\\n\\t\",\"version\":\"1\"}|service",
        "{\"id\":\"ID\",\"service\":\"s\\u0007\",\"version\":\"1\"}|service",
        "[1,2]|$",
        "{not json|$",
    })
    void badInputIsA400NamingTheField(String body, String field) {
        postChange(body.replace("ID", id)).then().statusCode(400).body("field", equalTo(field));
        given().get("/api/v1/changes/" + id).then().statusCode(404);
    }

    /** Jackson decodes the bytes (as at intake), so invalid UTF-8 is refused rather than stored as U+FFFD. */
    @ParameterizedTest
    @CsvSource({"service", "version", "author"})
    void invalidUtf8IsA400NamingTheField(String field) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("{\"id\":\"" + id + '"').getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String f : new String[] {"service", "version", "author"}) {
            out.writeBytes((",\"" + f + "\":\"x").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (f.equals(field)) {
                out.write(0xff);
            }
            out.write('"');
        }
        out.write('}');
        byte[] body = out.toByteArray();
        given().contentType(ContentType.JSON).body(body).post("/api/v1/changes").then().statusCode(400)
                .body("field", equalTo(field)).body("error", org.hamcrest.Matchers.containsString("UTF-8"));
        given().get("/api/v1/changes/" + id).then().statusCode(404);
    }

    @Test
    void listFiltersByServiceAndSince() {
        String other = id + "-b";
        postChange(change(id, "checkout-" + id, "1.42.0")).then().statusCode(201);
        postChange(change(other, "payments-" + id, "2.0.0")).then().statusCode(201);
        given().get("/api/v1/changes?service=checkout-" + id + "&since=2026-03-01T09:00:00Z").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].id", equalTo(id));
        given().get("/api/v1/changes?service=checkout-" + id + "&since=2026-03-01T10:00:01Z").then().statusCode(200)
                .body("size()", equalTo(0));
        given().get("/api/v1/changes?service=checkout-" + id + "&since=1h").then().statusCode(200).body("size()", equalTo(1));
        given().get("/api/v1/changes?since=last+week").then().statusCode(400).body("field", equalTo("since"));
        // longer than a Duration holds, or reaching before Instant.MIN: still a 400 naming the field, never a 500
        given().get("/api/v1/changes?since=99999999999999999h").then().statusCode(400).body("field", equalTo("since"));
        given().get("/api/v1/changes?since=9999999999999d").then().statusCode(400).body("field", equalTo("since"));
        given().get("/api/v1/changes?limit=0").then().statusCode(400).body("field", equalTo("limit"));
    }

    @Inject
    ChangeStore store;

    @Test
    void oldSourceWithAKindOfChangeIsStillTheKindAndWarnsOnce() {
        String body = "{\"id\":\"" + id + "\",\"service\":\"flags-" + id + "\",\"version\":\"on\",\"source\":\"flag\"}";
        postChange(body).then().statusCode(201).body("kind", equalTo("flag")).body("source", org.hamcrest.Matchers.nullValue());
        // the same body again is a retry (same hash), not a conflict
        postChange(body).then().statusCode(200).body("kind", equalTo("flag"));
        assertThat(dev.rootcause.support.Deprecations.warned(ChangeRequest.SOURCE_AS_KIND)).isTrue();
        assertThat(dev.rootcause.support.Deprecations.warnOnce(ChangeRequest.SOURCE_AS_KIND, "again")).as("warned once").isFalse();
        // a sender that is no kind of change is the sender, and the kind defaults to deploy
        postChange(body.replace(id + "\"", id + "-b\"").replace("\"source\":\"flag\"", "\"source\":\"spinnaker\""))
                .then().statusCode(201).body("kind", equalTo("deploy")).body("source", equalTo("spinnaker"));
    }

    @Test
    void listAndChangeLookupsFilterByKindOfChange() throws Exception {
        String service = "checkout-" + id;
        for (String kind : java.util.List.of("deploy", "config", "flag")) {
            postChange(change(id + "-" + kind, service, "v-" + kind).replace("\"kind\":\"deploy\"", "\"kind\":\"" + kind + "\""))
                    .then().statusCode(201).body("kind", equalTo(kind)).body("source", equalTo("jenkins"))
                    .body("environment", equalTo("production"));
        }
        String list = "/api/v1/changes?since=2026-03-01T09:00:00Z&service=" + service;
        given().get(list).then().statusCode(200).body("size()", equalTo(3));
        given().get(list + "&kind=config,flag").then().statusCode(200).body("size()", equalTo(2))
                .body("kind", org.hamcrest.Matchers.containsInAnyOrder("config", "flag"));
        given().get(list + "&kind=flag&kind=deploy").then().statusCode(200).body("size()", equalTo(2))
                .body("kind", org.hamcrest.Matchers.containsInAnyOrder("flag", "deploy"));
        given().get(list + "&kind=rollback").then().statusCode(200).body("size()", equalTo(0));
        given().get(list + "&kind=configuration").then().statusCode(400).body("field", equalTo("kind"))
                .body("error", org.hamcrest.Matchers.containsString("\"configuration\""));
        given().get(list + "&kind=config,").then().statusCode(400).body("field", equalTo("kind"));
        // source= is the sender now; with kinds of change (the old meaning) it is still read as kind=, deprecated
        given().get(list + "&source=jenkins").then().statusCode(200).body("size()", equalTo(3));
        given().get(list + "&source=github").then().statusCode(200).body("size()", equalTo(0));
        given().get(list + "&source=config,flag").then().statusCode(200).body("size()", equalTo(2))
                .body("kind", org.hamcrest.Matchers.containsInAnyOrder("config", "flag"));
        given().get(list + "&source=config,").then().statusCode(400).body("field", equalTo("source"));
        assertThat(dev.rootcause.support.Deprecations.warned("changes.query-source-as-kind")).isTrue();
        // what the changes.* steps ask: filtered in SQL
        assertThat(store.changes(service, DEPLOY.minusSeconds(60), DEPLOY.plusSeconds(60), java.util.Set.of("flag")))
                .extracting(c -> c.kind() + ":" + c.version()).containsExactly("flag:v-flag");
        assertThat(store.changes(service, DEPLOY.minusSeconds(60), DEPLOY.plusSeconds(60), java.util.Set.of()))
                .hasSize(3);
    }

    /** A Prometheus matrix: {@code before} each minute for 30 min before the deploy, {@code after} each minute after. */
    static String matrix(double before, double after) {
        StringBuilder values = new StringBuilder();
        long t0 = DEPLOY.getEpochSecond();
        for (long t = t0 - 1800; t <= t0 + 600; t += 60) {
            double v = t < t0 ? before + (t / 60 % 2) * before * 0.02 : after;
            values.append(values.length() == 0 ? "" : ",").append("[").append(t).append(",\"").append(v).append("\"]");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[" + values + "]}]}}";
    }

    void stubChecks(double errorsBefore, double errorsAfter, double p99Before, double p99After) {
        server().stubFor(post(urlEqualTo("/api/v1/query_range")).withRequestBody(containing("code%3D%7E%225..%22"))
                .willReturn(okJson(matrix(errorsBefore, errorsAfter))));
        server().stubFor(post(urlEqualTo("/api/v1/query_range")).withRequestBody(containing("histogram_quantile"))
                .willReturn(okJson(matrix(p99Before, p99After))));
    }

    JsonNode verification() throws Exception {
        return JSON.readTree(given().get("/api/v1/changes/" + id + "/verify").then().statusCode(200).extract().asString());
    }

    @Test
    void verificationWaitsForItsDelayThenFailsOnAnErrorJump() throws Exception {
        stubChecks(0.002, 0.09, 0.25, 0.6);
        postChange(change(id, "checkout", "1.42.0")).then().statusCode(201);
        given().post("/api/v1/changes/" + id + "/verify").then().statusCode(202)
                .body("status", equalTo("pending")).body("dueAt", equalTo("2026-03-01T10:10:00Z"));
        given().get("/api/v1/changes/" + id + "/verify").then().statusCode(200).header("Retry-After", "570")
                .body("status", equalTo("pending"));
        server().verify(0, postRequestedFor(urlEqualTo("/api/v1/query_range")));

        clock.set(DEPLOY.plus(Duration.ofMinutes(10)));
        JsonNode v = verification();
        assertThat(v.get("status").asText()).isEqualTo("fail");
        assertThat(v.get("decidedAt").asText()).isEqualTo("2026-03-01T10:10:00Z");
        JsonNode errors = v.at("/result/checks/0");
        assertThat(errors.get("check").asText()).isEqualTo("error_ratio");
        assertThat(errors.get("outcome").asText()).isEqualTo("fail");
        assertThat(errors.at("/evidence/values/before").asDouble()).isBetween(0.0019, 0.0021);
        assertThat(errors.at("/evidence/values/after").asDouble()).isEqualTo(0.09);
        assertThat(errors.at("/evidence/query").asText()).contains("service=\"checkout\"");
        assertThat(v.at("/result/checks/1/outcome").asText()).isEqualTo("fail");
        // decided once: a second read does not query again
        int calls = server().findAll(postRequestedFor(urlEqualTo("/api/v1/query_range"))).size();
        assertThat(verification().get("status").asText()).isEqualTo("fail");
        assertThat(server().findAll(postRequestedFor(urlEqualTo("/api/v1/query_range")))).hasSize(calls);
    }

    @Test
    void verificationPassesWhenNothingMovedBeyondNoise() throws Exception {
        stubChecks(0.002, 0.0021, 0.25, 0.26);
        postChange(change(id, "checkout", "1.42.0").replace("}", ",\"verify\":true}")).then().statusCode(201)
                .body("verification.status", equalTo("pending"));
        clock.set(DEPLOY.plus(Duration.ofMinutes(11)));
        given().post("/api/v1/changes/" + id + "/verify").then().statusCode(200).body("status", equalTo("pass"));
    }

    @Test
    void verificationWithPrometheusDownIsAnErrorNeverAPass() throws Exception {
        server().stubFor(post(urlEqualTo("/api/v1/query_range")).willReturn(aResponse().withStatus(400)
                .withBody("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}")));
        postChange(change(id, "checkout", "1.42.0")).then().statusCode(201);
        given().post("/api/v1/changes/" + id + "/verify").then().statusCode(202);
        clock.set(DEPLOY.plus(Duration.ofMinutes(10)));
        JsonNode v = verification();
        assertThat(v.get("status").asText()).isEqualTo("error");
        assertThat(v.at("/result/checks/0/evidence/status").asText()).isEqualTo("error");
        assertThat(v.at("/result/checks/0/evidence/reason").asText()).contains("400").contains("bad_data: parse error");
    }

    @Test
    void verifyingAnUnknownChangeIs404() {
        given().post("/api/v1/changes/nope-" + id + "/verify").then().statusCode(404).body("field", equalTo("id"));
        postChange(change(id, "checkout", "1.42.0")).then().statusCode(201);
        given().get("/api/v1/changes/" + id + "/verify").then().statusCode(404);
    }
}
