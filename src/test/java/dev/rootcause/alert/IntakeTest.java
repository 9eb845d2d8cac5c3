package dev.rootcause.alert;

import static dev.rootcause.Api.awaitIncident;
import static dev.rootcause.Api.incidentsOfGroup;
import static dev.rootcause.Api.post;
import static dev.rootcause.Payloads.fixture;
import static dev.rootcause.Payloads.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Payloads;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class IntakeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "alertmanager, alertmanager-empty-commonlabels.json,      2, 0",
        "alertmanager, alertmanager-firing-2-alerts.json,         2, 0",
        "alertmanager, alertmanager-mixed-firing-resolved.json,   3, 0",
        "alertmanager, alertmanager-real-cache-hit-rate-low.json, 1, 0",
        "alertmanager, alertmanager-resolved.json,                1, 0",
        "alertmanager, alertmanager-truncated.json,               3, 57",
        "alertmanager, alertmanager-unicode-long-annotations.json,1, 0",
        "grafana,      grafana-firing.json,                       2, 0",
        "grafana,      grafana-resolved.json,                     1, 0",
    })
    void everyRecordedBodyIsStoredWithItsAlertCount(String source, String fixture, int alerts, int truncated) {
        ObjectNode body = unique(fixture);
        post(source, body.toString()).then().statusCode(202)
                .body("status", equalTo("accepted")).body("alerts", equalTo(alerts));
        JsonNode incident = awaitIncident(body.get("groupKey").asText());
        assertThat(incident.get("alertCount").asInt()).isEqualTo(alerts);
        assertThat(incident.get("truncatedAlerts").asInt()).isEqualTo(truncated);
        assertThat(incident.get("alerts")).hasSize(alerts);
        assertThat(incident.get("source").asText()).isEqualTo(source);
    }

    @Test
    void zeroEndsAtMeansNotEnded() {
        ObjectNode body = unique("alertmanager-firing-2-alerts.json");
        assertThat(body.at("/alerts/0/endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        post("alertmanager", body.toString()).then().statusCode(202);
        JsonNode incident = awaitIncident(body.get("groupKey").asText());
        for (JsonNode alert : incident.get("alerts")) {
            assertThat(alert.get("endsAt").isNull()).as("endsAt of a firing alert").isTrue();
        }
        assertThat(incident.get("status").asText()).isEqualTo("open");
    }

    @Test
    void emptyCommonLabelsAndEmptyGroupKeyOpenOneIncident() {
        ObjectNode body = fixture("alertmanager-empty-commonlabels.json");
        body.put("receiver", "r-" + System.nanoTime()); // receiver is not part of the incident key ...
        // ... so make the alert set unique instead: the groupKey {}:{} stays as sent
        ((ObjectNode) body.at("/alerts/0")).put("fingerprint", "fp-" + System.nanoTime());
        assertThat(body.get("groupKey").asText()).isEqualTo("{}:{}");
        assertThat(body.get("commonLabels").size()).isZero();
        post("alertmanager", body.toString()).then().statusCode(202);
        JsonNode incident = awaitIncident("{}:{}");
        assertThat(incident.get("title").asText()).isNotBlank();
    }

    @Test
    void grafanaNullValuesAreAccepted() {
        ObjectNode body = unique("grafana-firing.json");
        ((ObjectNode) body.at("/alerts/0")).set("values", NullNode.getInstance());
        post("grafana", body.toString()).then().statusCode(202);
        assertThat(awaitIncident(body.get("groupKey").asText()).get("alertCount").asInt()).isEqualTo(2);
    }

    @Test
    void grafanaContactPointTestIsAcknowledgedWithoutIncident() {
        ObjectNode body = unique("grafana-firing.json");
        ArrayNode alerts = (ArrayNode) body.get("alerts");
        alerts.remove(1);
        ObjectNode alert = (ObjectNode) alerts.get(0);
        ObjectNode labels = alert.putObject("labels");
        labels.put("alertname", "TestAlert");
        labels.put("instance", "Grafana");
        alert.putObject("annotations").put("summary", "Notification test");
        post("grafana", body.toString()).then().statusCode(200).body("status", equalTo("test"));
        assertThat(incidentsOfGroup(body.get("groupKey").asText())).isEmpty();
    }

    @Test
    void unicodeAndLongAnnotationsSurviveUnchanged() {
        ObjectNode body = unique("alertmanager-unicode-long-annotations.json");
        JsonNode sent = body.at("/alerts/0/annotations");
        assertThat(sent.toString().length()).isGreaterThan(4000);
        post("alertmanager", body.toString()).then().statusCode(202);
        JsonNode stored = awaitIncident(body.get("groupKey").asText()).at("/alerts/0/annotations");
        assertThat(stored).isEqualTo(sent);
    }

    @Test
    void twoThousandAlertBodyIsOneIncident() {
        ObjectNode body = unique("alertmanager-firing-2-alerts.json");
        ArrayNode alerts = (ArrayNode) body.get("alerts");
        ObjectNode template = (ObjectNode) alerts.get(0);
        alerts.removeAll();
        for (int i = 0; i < 2000; i++) {
            ObjectNode a = template.deepCopy();
            a.put("fingerprint", String.format("%016x", i) + body.get("groupKey").asText().hashCode());
            ((ObjectNode) a.get("labels")).put("instance", "10.1." + (i / 256) + "." + (i % 256) + ":8080");
            alerts.add(a);
        }
        post("alertmanager", body.toString()).then().statusCode(202).body("alerts", equalTo(2000));
        List<JsonNode> incidents = org.awaitility.Awaitility.await().atMost(dev.rootcause.Api.DEADLINE)
                .until(() -> incidentsOfGroup(body.get("groupKey").asText()),
                        l -> !l.isEmpty() && l.get(0).get("alertCount").asInt() == 2000);
        assertThat(incidents).hasSize(1);
    }

    @Test
    void secondPeerRedeliveryIsADuplicate() {
        ObjectNode body = unique("alertmanager-firing-2-alerts.json");
        post("alertmanager", body.toString()).then().statusCode(202);
        ObjectNode peer = body.deepCopy();
        peer.put("externalURL", "http://alertmanager-1.example.internal:9093");
        peer.put("receiver", "other-receiver-name");
        post("alertmanager", peer.toString()).then().statusCode(200).body("status", equalTo("duplicate"));
        awaitIncident(body.get("groupKey").asText());
        assertThat(incidentsOfGroup(body.get("groupKey").asText())).hasSize(1);
    }

    @Test
    void twentyConcurrentCopiesMakeOneIncident() throws Exception {
        String body = unique("alertmanager-firing-2-alerts.json").toString();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Integer>> copies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                copies.add(() -> post("alertmanager", body).statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(copies)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(200, 202);
            assertThat(statuses).filteredOn(s -> s == 202).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        String groupKey = Payloads.JSON.readTree(body).get("groupKey").asText();
        JsonNode incident = awaitIncident(groupKey);
        assertThat(incidentsOfGroup(groupKey)).hasSize(1);
        long deliveries = StreamSupport.stream(incident.get("timeline").spliterator(), false)
                .filter(e -> e.get("kind").asText().equals("alerts")).count();
        assertThat(deliveries).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed JSON          | {\"status\": \"firing\",                              | $",
        "not an object           | [1, 2]                                                  | $",
        "empty body              | ''                                                      | $",
        "missing groupKey        | {\"status\":\"firing\",\"alerts\":[]}                   | groupKey",
        "missing alerts          | {\"status\":\"firing\",\"groupKey\":\"g\"}              | alerts",
        "alerts not array        | {\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":{}} | alerts",
        "bad status              | {\"status\":\"burning\",\"groupKey\":\"g\",\"alerts\":[]} | status",
        "missing fingerprint     | {\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"startsAt\":\"2024-05-14T09:00:00Z\"}]} | alerts[0].fingerprint",
        "bad startsAt            | {\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\"f\",\"labels\":{},\"startsAt\":\"yesterday\"}]} | alerts[0].startsAt",
        "label not a string      | {\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\"f\",\"labels\":{\"a\":1},\"startsAt\":\"2024-05-14T09:00:00Z\"}]} | alerts[0].labels.a",
        "negative truncated      | {\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[ALERT],\"truncatedAlerts\":-1} | truncatedAlerts",
        "empty alerts            | {\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[]}                 | alerts",
        "empty groupKey          | {\"status\":\"firing\",\"groupKey\":\"\",\"alerts\":[ALERT]}             | groupKey",
        "repeated key            | {\"status\":\"resolved\",\"groupKey\":\"g\",\"alerts\":[ALERT],\"status\":\"firing\"} | $",
        "trailing data           | {\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[ALERT]} garbage     | $",
        "two objects             | {\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[ALERT]}{}          | $",
        "same fingerprint twice  | {\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[ALERT,ALERT]}      | alerts[1].fingerprint",
        "NUL in a label          | {\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\"f\",\"labels\":{\"a\":\"x\\u0000y\"},\"startsAt\":\"2024-05-14T09:00:00Z\"}]} | alerts[0].labels.a",
        "lone surrogate          | {\"status\":\"firing\",\"groupKey\":\"g\\ud800\",\"alerts\":[ALERT]}   | groupKey",
        "five-digit year         | {\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\"f\",\"labels\":{},\"startsAt\":\"+10000-01-01T00:00:00Z\"}]} | alerts[0].startsAt",
        "null label value        | {\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\"f\",\"labels\":{\"a\":null},\"startsAt\":\"2024-05-14T09:00:00Z\"}]} | alerts[0].labels.a",
    })
    void badBodyIs400NamingTheField(String name, String template, String field) {
        String body = template.replace("ALERT", "{\"status\":\"firing\",\"fingerprint\":\"f\",\"labels\":{},\"startsAt\":\"2024-05-14T09:00:00Z\"}");
        for (String source : List.of("alertmanager", "grafana")) {
            given().contentType(ContentType.JSON).body(body).post("/api/v1/alerts/" + source)
                    .then().statusCode(400).body("field", equalTo(field)).body("error", startsWith(field + ":"));
        }
    }

    @Test
    void constraintViolationsAre400NotServerErrors() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String longKey = "{\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[],\"" + "k".repeat(60_000) + "\":1}";
        String longNumber = "{\"truncatedAlerts\":" + "9".repeat(2000) + "}";
        String longFingerprint = "{\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\""
                + "f".repeat(129) + "\",\"labels\":{},\"startsAt\":\"2024-05-14T09:00:00Z\"}]}";
        for (String body : List.of(deep, longKey, longNumber, longFingerprint, "   ")) {
            given().contentType(ContentType.JSON).body(body).post("/api/v1/alerts/alertmanager")
                    .then().statusCode(400).body("error", org.hamcrest.Matchers.notNullValue());
        }
    }

    @Test
    void nonJsonContentTypeIs415() {
        String body = unique("alertmanager-firing-2-alerts.json").toString();
        given().contentType("text/plain").body(body).post("/api/v1/alerts/alertmanager")
                .then().statusCode(415).body("field", equalTo("Content-Type"));
        given().contentType("application/json; charset=utf-8").body(body).post("/api/v1/alerts/alertmanager")
                .then().statusCode(202);
    }

    @Test
    void unknownPathsAndMethodsAnswerJson() {
        given().get("/api/v1/alerts/alertmanager").then().statusCode(405).body("error", org.hamcrest.Matchers.notNullValue());
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/alerts/nagios").then().statusCode(404)
                .body("error", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void bodyOverTheLimitIs413() {
        // %test limit in application.properties: rootcause.intake.max-body-size=6M
        String big = "{\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[],\"pad\":\"" + "x".repeat(7 * 1024 * 1024) + "\"}";
        double before = tooLarge();
        given().contentType(ContentType.JSON).body(big).post("/api/v1/alerts/alertmanager")
                .then().statusCode(413).body("error", startsWith("body of"));
        org.junit.jupiter.api.Assertions.assertEquals(before + 1, tooLarge(), "a 413 is counted as rejected (issue 23)");
    }

    /** {@code rootcause_intake_rejected_total{reason="too_large",source="alertmanager"}} on /q/metrics. */
    private static double tooLarge() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("rootcause_intake_rejected_total{") && l.contains("reason=\"too_large\"")
                && l.contains("source=\"alertmanager\"")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no rootcause_intake_rejected_total for too_large"));
    }
}
