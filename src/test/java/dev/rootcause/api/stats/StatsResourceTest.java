package dev.rootcause.api.stats;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/stats}: response times from the store, the histogram on {@code /q/metrics}, bad periods. */
@QuarkusTest
class StatsResourceTest {

    @Test
    void anAcknowledgedAndResolvedIncidentCountsFromItsAlertsStartsAt() {
        String service = "stats-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode body = Payloads.unique("alertmanager-real-cache-hit-rate-low.json");
        // the alert started ten minutes before it reached us: every response time is at least that
        Instant started = Instant.now().minusSeconds(600);
        ObjectNode alert = (ObjectNode) body.get("alerts").get(0);
        alert.put("startsAt", started.toString());
        ((ObjectNode) alert.get("labels")).put("service", service);
        ((ObjectNode) body.get("commonLabels")).put("service", service);
        double acksBefore = histogramCount("acknowledge", "critical");

        Api.post("alertmanager", Payloads.text(body)).then().statusCode(202);
        long id = Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong();
        Api.awaitTimeline(id, "diagnosed", 1);
        given().contentType(ContentType.JSON).body("{\"by\":\"alice\"}").post("/api/v1/incidents/" + id + "/ack").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"by\":\"alice\"}").post("/api/v1/incidents/" + id + "/ack").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"by\":\"alice\"}").post("/api/v1/incidents/" + id + "/resolve").then().statusCode(200);

        JsonNode stats = Api.read(given().get("/api/v1/stats?since=1h").then().statusCode(200).extract().asString());
        assertThat(stats.get("feedback").isArray()).as("the feedback field stays").isTrue();
        assertThat(stats.get("since").asText()).isEqualTo("1h");
        JsonNode group = null;
        for (JsonNode g : stats.at("/responseTimes/byService")) {
            if (service.equals(g.get("key").asText())) {
                group = g;
            }
        }
        assertThat(group).as("a group for " + service + " in " + stats).isNotNull();
        assertThat(group.get("incidents").asInt()).isEqualTo(1);
        for (String milestone : new String[] {"firstReport", "acknowledge", "resolve"}) {
            JsonNode f = group.get(milestone);
            assertThat(f.get("count").asInt()).as(milestone).isEqualTo(1);
            assertThat(f.get("pending").asInt()).as(milestone).isZero();
            assertThat(f.get("p50Seconds").asLong()).as(milestone).isBetween(600L, 600L + 120);
        }
        // the second ack was a no-op: one observation, on the first acknowledgement only
        assertThat(histogramCount("acknowledge", "critical") - acksBefore).isEqualTo(1.0);
    }

    @Test
    void defaultPeriodIsThirtyDays() {
        given().get("/api/v1/stats").then().statusCode(200).body("since", equalTo("30d"));
    }

    @Test
    void aPeriodThatIsNotADurationIs400NamingTheField() {
        given().get("/api/v1/stats?since=last-month").then().statusCode(400).body("field", equalTo("since"));
        given().get("/api/v1/stats?since=0d").then().statusCode(400).body("field", equalTo("since"));
    }

    private static double histogramCount(String milestone, String severity) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^rootcause_incident_response_seconds_count\\{([^}]*)} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        while (m.find()) {
            if (m.group(1).contains("milestone=\"" + milestone + "\"") && m.group(1).contains("severity=\"" + severity + "\"")) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no rootcause_incident_response_seconds_count for " + milestone + "/" + severity);
    }
}
