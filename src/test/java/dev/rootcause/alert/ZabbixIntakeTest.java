package dev.rootcause.alert;

import static dev.rootcause.Api.awaitIncident;
import static dev.rootcause.Api.incident;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.Notification;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /api/v1/alerts/zabbix}: the media type's events (src/test/resources/zabbix/, shaped as
 * integrations/zabbix/rootcause-webhook.js builds them from Zabbix 6.0's macros) become alerts, grouped by trigger
 * and host; a recovery resolves its problem's alert.
 */
@QuarkusTest
class ZabbixIntakeTest {

    private static final AtomicLong TRIGGER = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    static ObjectNode event(String name, String triggerId, String eventId) {
        try (InputStream in = ZabbixIntakeTest.class.getResourceAsStream("/zabbix/" + name)) {
            ObjectNode body = (ObjectNode) Payloads.JSON.readTree(in);
            body.put("trigger_id", triggerId);
            body.put("eventid", eventId);
            return body;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static io.restassured.response.Response post(ObjectNode body) {
        return given().contentType(ContentType.JSON).body(body.toString()).post("/api/v1/alerts/zabbix");
    }

    @Test
    void aProblemIsAnAlertWithLabelsFromHostTriggerSeverityAndTags() {
        Notification n = new WebhookParser(Payloads.JSON).parse("zabbix", event("event-problem.json", "23184", "5316").toString().getBytes());
        assertThat(n.source()).isEqualTo("zabbix");
        assertThat(n.groupKey()).isEqualTo("{}:{host=\"edge-router-1\", trigger_id=\"23184\"}");
        Alert a = n.alerts().get(0);
        assertThat(a.fingerprint()).isEqualTo("5316");
        assertThat(a.status()).isEqualTo(Alert.Status.FIRING);
        assertThat(a.labels()).containsEntry("alertname", "NOC-P2-17").containsEntry("host", "edge-router-1")
                .containsEntry("host_name", "Edge router 1").containsEntry("trigger_id", "23184")
                .containsEntry("severity", "high").containsEntry("zabbix_severity", "High")
                .containsEntry("scope", "availability").containsEntry("component", "network,wan")
                .containsEntry("tag_host", "spoof");
        assertThat(a.annotations()).containsEntry("summary", "NOC-P2-17 on Edge router 1")
                .containsEntry("rootcause_expression", "min(/edge-router-1/icmppingloss,5m)>20")
                .containsEntry("rootcause_expression_language", "zabbix").containsEntry("zabbix_item_key", "icmppingloss")
                .containsEntry("runbook_url", "https://wiki.example.com/runbooks/noc-p2-17");
        assertThat(a.startsAt()).hasToString("2026-12-02T06:40:12Z");
        assertThat(a.endsAt()).isNull();
        assertThat(a.generatorUrl()).isEqualTo("https://zabbix.example.com/tr_events.php?triggerid=23184&eventid=5316");
    }

    @Test
    void theBodiesARealZabbixPostedAreAProblemAndItsRecovery() {
        WebhookParser parser = new WebhookParser(Payloads.JSON);
        Notification problem = parser.parse("zabbix", event("recorded-6.0.14-problem.json", "23133", "27").toString().getBytes());
        Notification recovery = parser.parse("zabbix", event("recorded-6.0.14-recovery.json", "23133", "27").toString().getBytes());
        assertThat(problem.alerts().get(0).status()).isEqualTo(Alert.Status.FIRING);
        assertThat(problem.alerts().get(0).endsAt()).isNull();
        assertThat(problem.alerts().get(0).labels()).containsEntry("scope", "wan").containsEntry("severity", "high");
        assertThat(problem.alerts().get(0).generatorUrl()).isEqualTo("http://127.0.0.1:18091/tr_events.php?triggerid=23133&eventid=27");
        assertThat(recovery.alerts().get(0).status()).isEqualTo(Alert.Status.RESOLVED);
        assertThat(recovery.alerts().get(0).fingerprint()).isEqualTo(problem.alerts().get(0).fingerprint());
        assertThat(recovery.alerts().get(0).endsAt()).isAfter(recovery.alerts().get(0).startsAt());
        assertThat(recovery.groupKey()).isEqualTo(problem.groupKey());
    }

    @Test
    void aRecoveryResolvesTheIncidentAndARepeatIsADuplicate() {
        String trigger = String.valueOf(TRIGGER.incrementAndGet());
        post(event("event-problem.json", trigger, "91")).then().statusCode(202).body("alerts", equalTo(1));
        post(event("event-problem.json", trigger, "91")).then().statusCode(200).body("status", equalTo("duplicate"));
        String groupKey = "{}:{host=\"edge-router-1\", trigger_id=\"" + trigger + "\"}";
        JsonNode opened = awaitIncident(groupKey);
        assertThat(opened.get("source").asText()).isEqualTo("zabbix");
        assertThat(opened.get("status").asText()).isEqualTo("open");

        post(event("event-recovery.json", trigger, "91")).then().statusCode(202);
        long id = opened.get("id").asLong();
        await().atMost(Api.DEADLINE).until(() -> "resolved".equals(incident(id).get("status").asText()));
        assertThat(incident(id).get("alerts").get(0).get("endsAt").asText()).isEqualTo("2026-12-02T07:01:40Z");
    }

    @Test
    void twoProblemsOfOneTriggerAreOneIncidentThatResolvesWhenBothRecovered() {
        String trigger = String.valueOf(TRIGGER.incrementAndGet());
        String groupKey = "{}:{host=\"edge-router-1\", trigger_id=\"" + trigger + "\"}";
        post(event("event-problem.json", trigger, "101")).then().statusCode(202);
        post(event("event-problem.json", trigger, "102")).then().statusCode(202);
        long id = awaitIncident(groupKey).get("id").asLong();
        await().atMost(Api.DEADLINE).until(() -> incident(id).get("alerts").size() == 2);
        post(event("event-recovery.json", trigger, "101")).then().statusCode(202);
        await().atMost(Api.DEADLINE).until(() -> Api.awaitTimeline(id, "alerts", 3) != null);
        assertThat(incident(id).get("status").asText()).as("one of two problems still open").isEqualTo("open");
        post(event("event-recovery.json", trigger, "102")).then().statusCode(202);
        await().atMost(Api.DEADLINE).until(() -> "resolved".equals(incident(id).get("status").asText()));
        assertThat(Api.incidentsOfGroup(groupKey)).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no eventid            | eventid      | ",
        "macro left unresolved | eventid      | {EVENT.ID}",
        "event id not numeric  | eventid      | abc",
        "bad event value       | event_value  | 2",
        "no host               | host         | ",
        "bad start             | starts_at    | 2026.12.02 06:40:12",
        "tags not an array     | tags         | x",
    })
    void badEventsAre400NamingTheField(String name, String field, String value) {
        ObjectNode body = event("event-problem.json", "1", "1");
        if (value == null) {
            body.remove(field);
        } else {
            body.put(field, value);
        }
        post(body).then().statusCode(400).body("field", equalTo(field)).body("error", startsWith(field + ":"));
    }

    @Test
    void aRecoveryWithoutItsEndIs400() {
        ObjectNode body = event("event-recovery.json", "1", "1");
        body.put("ends_at", "");
        post(body).then().statusCode(400).body("field", equalTo("ends_at"));
    }
}
