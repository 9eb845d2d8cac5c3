package dev.rootcause.incident;

import static dev.rootcause.Api.awaitIncident;
import static dev.rootcause.Api.awaitTimeline;
import static dev.rootcause.Api.incident;
import static dev.rootcause.Api.incidentsOfGroup;
import static dev.rootcause.Api.post;
import static dev.rootcause.Payloads.unique;
import static dev.rootcause.Payloads.withStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.TestClock;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The incident store and lifecycle, through the public API. Subclasses run it on each store
 * (H2 file, PostgreSQL).
 */
abstract class IncidentLifecycleContract {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Inject
    TestClock clock;

    @BeforeEach
    void fixTime() {
        clock.set(T0);
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void openAcknowledgeResolveReopen() {
        ObjectNode firing = unique("alertmanager-firing-2-alerts.json");
        String group = firing.get("groupKey").asText();
        post("alertmanager", firing.toString()).then().statusCode(202);
        JsonNode opened = awaitIncident(group);
        long id = opened.get("id").asLong();
        assertThat(opened.get("status").asText()).isEqualTo("open");
        assertThat(opened.get("openedAt").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(opened.get("severity").asText()).isEqualTo("critical");
        // the ticket is opened after the diagnosis: wait for it, so that the resolution below has a ticket to close
        awaitTimeline(id, "ticket", 1);

        clock.advance(Duration.ofMinutes(3));
        given().contentType(ContentType.JSON).body("{\"by\":\"alice\"}").post("/api/v1/incidents/" + id + "/ack")
                .then().statusCode(200).body("status", equalTo("acknowledged"))
                .body("acknowledgedBy", equalTo("alice")).body("acknowledgedAt", equalTo("2026-03-01T10:03:00Z"));

        clock.advance(Duration.ofMinutes(7));
        post("alertmanager", withStatus(firing, "resolved").toString()).then().statusCode(202);
        awaitTimeline(id, "resolved", 1);
        // the incident and its timeline are read by separate queries: wait until both show the resolution
        JsonNode resolved = org.awaitility.Awaitility.await().atMost(dev.rootcause.Api.DEADLINE)
                .until(() -> dev.rootcause.Api.incident(id), i -> i.get("status").asText().equals("resolved"));
        assertThat(resolved.get("status").asText()).isEqualTo("resolved");
        assertThat(resolved.get("resolvedAt").asText()).isEqualTo("2026-03-01T10:10:00Z");
        assertThat(resolved.get("resolvedBy").asText()).isEqualTo("alertmanager");
        assertThat(messages(resolved, "resolved")).containsExactly("all alerts resolved after 10m");

        clock.advance(Duration.ofHours(1));
        ObjectNode again = firing.deepCopy();
        again.withArray("alerts").forEach(a -> ((ObjectNode) a).put("startsAt", "2026-03-01T11:09:00Z"));
        post("alertmanager", again.toString()).then().statusCode(202);
        awaitTimeline(id, "reopened", 1);
        // the incident and its timeline are read by separate queries: wait until both show the reopening
        JsonNode reopened = org.awaitility.Awaitility.await().atMost(dev.rootcause.Api.DEADLINE)
                .until(() -> dev.rootcause.Api.incident(id), i -> i.get("status").asText().equals("reopened"));
        assertThat(reopened.get("status").asText()).isEqualTo("reopened");
        assertThat(reopened.get("resolvedAt").isNull()).isTrue();
        assertThat(incidentsOfGroup(group)).hasSize(1);
        assertThat(kinds(reopened)).filteredOn(k -> !k.equals("diagnosed") && !k.startsWith("ticket"))
                .containsExactly("opened", "alerts", "acknowledged", "alerts", "resolved", "alerts", "reopened");
        // the embedded ticket followed: closed on resolve, reopened when the group fired again
        JsonNode followed = awaitTimeline(id, "ticket_reopened", 1);
        assertThat(kinds(followed)).filteredOn(k -> k.startsWith("ticket"))
                .containsExactly("ticket", "ticket_closed", "ticket_reopened");
        given().get("/api/v1/tickets/" + followed.at("/ticket/key").asText()).then().statusCode(200)
                .body("status", equalTo("open"));
    }

    @Test
    void groupFiringAfterTheReopenWindowOpensANewIncident() {
        ObjectNode firing = unique("alertmanager-real-cache-hit-rate-low.json");
        String group = firing.get("groupKey").asText();
        post("alertmanager", firing.toString()).then().statusCode(202);
        long first = awaitIncident(group).get("id").asLong();
        post("alertmanager", withStatus(firing, "resolved").toString()).then().statusCode(202);
        awaitTimeline(first, "resolved", 1);

        clock.advance(Duration.ofHours(25)); // rootcause.incidents.reopen-window defaults to 24h
        ObjectNode later = firing.deepCopy();
        ((ObjectNode) later.at("/alerts/0")).put("startsAt", "2026-03-02T11:00:00Z");
        post("alertmanager", later.toString()).then().statusCode(202);
        List<JsonNode> incidents = org.awaitility.Awaitility.await().atMost(dev.rootcause.Api.DEADLINE)
                .until(() -> incidentsOfGroup(group), l -> l.size() == 2);
        assertThat(incident(first).get("status").asText()).isEqualTo("resolved");
        assertThat(incidents).extracting(i -> i.get("status").asText()).contains("open", "resolved");
    }

    @Test
    void truncatedGroupIsNotResolvedFromTheShownAlerts() {
        ObjectNode firing = unique("alertmanager-truncated.json");
        post("alertmanager", firing.toString()).then().statusCode(202);
        long id = awaitIncident(firing.get("groupKey").asText()).get("id").asLong();
        post("alertmanager", withStatus(firing, "resolved").toString()).then().statusCode(202);
        JsonNode after = awaitTimeline(id, "truncated", 1);
        assertThat(after.get("status").asText()).isEqualTo("open");
        assertThat(after.get("truncatedAlerts").asInt()).isEqualTo(57);
        assertThat(messages(after, "truncated").get(0)).contains("57 were not shown");
    }

    @Test
    void partlyResolvedGroupStaysOpen() {
        ObjectNode mixed = unique("alertmanager-mixed-firing-resolved.json");
        post("alertmanager", mixed.toString()).then().statusCode(202);
        JsonNode incident = awaitIncident(mixed.get("groupKey").asText());
        assertThat(incident.get("status").asText()).isEqualTo("open");
        assertThat(StreamSupport.stream(incident.get("alerts").spliterator(), false)
                .map(a -> a.get("status").asText())).containsExactlyInAnyOrder("firing", "firing", "resolved");
    }

    @Test
    void resolvedFirstNotificationStillOpensAResolvedIncident() {
        ObjectNode resolved = unique("alertmanager-resolved.json");
        post("alertmanager", resolved.toString()).then().statusCode(202);
        long id = awaitIncident(resolved.get("groupKey").asText()).get("id").asLong();
        JsonNode incident = awaitTimeline(id, "resolved", 1);
        assertThat(incident.get("status").asText()).isEqualTo("resolved");
        assertThat(messages(incident, "opened").get(0)).contains("already resolved");
    }

    @Test
    void manualResolveAndItsRules() {
        ObjectNode firing = unique("grafana-firing.json");
        post("grafana", firing.toString()).then().statusCode(202);
        long id = awaitIncident(firing.get("groupKey").asText()).get("id").asLong();
        clock.advance(Duration.ofSeconds(90));
        given().contentType(ContentType.JSON).body("{\"by\":\"bob\"}").post("/api/v1/incidents/" + id + "/resolve")
                .then().statusCode(200).body("status", equalTo("resolved")).body("resolvedBy", equalTo("bob"));
        given().post("/api/v1/incidents/" + id + "/resolve").then().statusCode(200).body("resolvedBy", equalTo("bob"));
        given().post("/api/v1/incidents/" + id + "/ack").then().statusCode(409).body("field", equalTo("status"));
        assertThat(messages(incident(id), "resolved")).containsExactly("resolved by bob after 1m 30s");
    }

    @Test
    void apiRejectsBadRequestsWithTheField() {
        given().get("/api/v1/incidents/999999999").then().statusCode(404).body("field", equalTo("id"));
        given().post("/api/v1/incidents/999999999/ack").then().statusCode(404);
        given().get("/api/v1/incidents?status=burning").then().statusCode(400).body("field", equalTo("status"));
        given().get("/api/v1/incidents?limit=0").then().statusCode(400).body("field", equalTo("limit"));
        given().get("/api/v1/incidents?limit=abc").then().statusCode(400).body("field", equalTo("limit"));
        given().get("/api/v1/incidents/abc").then().statusCode(400).body("field", equalTo("id"));
        given().get("/api/v1/incidents/9223372036854775808").then().statusCode(400).body("field", equalTo("id"));
        given().contentType(ContentType.JSON).body("\"alice\"").post("/api/v1/incidents/999999999/ack")
                .then().statusCode(400).body("field", equalTo("$"));
        given().contentType(ContentType.JSON).body("{\"by\":").post("/api/v1/incidents/999999999/ack")
                .then().statusCode(400).body("field", equalTo("$"));
        given().contentType(ContentType.JSON).body("{\"by\":42}").post("/api/v1/incidents/999999999/ack")
                .then().statusCode(400).body("field", equalTo("by"));
    }

    private static List<String> kinds(JsonNode incident) {
        return StreamSupport.stream(incident.get("timeline").spliterator(), false).map(e -> e.get("kind").asText()).toList();
    }

    private static List<String> messages(JsonNode incident, String kind) {
        return StreamSupport.stream(incident.get("timeline").spliterator(), false)
                .filter(e -> kind.equals(e.get("kind").asText())).map(e -> e.get("message").asText()).toList();
    }
}
