package dev.rootcause.incident.effect;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.rule.load.RuleLoader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** When a ticket is opened: severity policy ({@code rootcause.tickets.open-for}) and the rules' {@code ticket:} overrides. */
@QuarkusTest
class TicketPolicyTest {

    @Inject
    RuleLoader rules;

    @Test
    void aRuleSayingNeverSkipsTheTicketAndSaysSoInTheTimeline() {
        ObjectNode body = Payloads.unique("alertmanager-firing-2-alerts.json");
        ((ObjectNode) body.get("commonLabels")).put("alertname", "NoTicketTest");
        ((ObjectNode) body.get("groupLabels")).put("alertname", "NoTicketTest");
        body.withArray("alerts").forEach(a -> ((ObjectNode) a.get("labels")).put("alertname", "NoTicketTest"));
        Api.post("alertmanager", body.toString()).then().statusCode(202);
        long id = Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong();
        JsonNode incident = Api.awaitTimeline(id, "ticket_skipped", 1);
        assertThat(incident.get("timeline").toString()).contains("no ticket opened: rule ticket-never says ticket: never");

        Api.post("alertmanager", Payloads.withStatus(body, "resolved").toString()).then().statusCode(202);
        Api.awaitTimeline(id, "resolved", 1);
        JsonNode effects = Api.read(given().get("/api/v1/outbox?limit=1000").then().statusCode(200).extract().asString());
        assertThat(StreamSupport.stream(effects.spliterator(), false).filter(e -> e.get("incidentId").asLong() == id)
                .map(e -> e.get("kind").asText())).contains("chat.report").noneMatch(k -> k.startsWith("ticket."));
        assertThat(Api.incident(id).get("ticket").isNull()).isTrue();
    }

    @Test
    void severityDecidesUnlessARuleOverrides() {
        TicketPolicy policy = new TicketPolicy(List.of("critical", " Warning"), rules);
        assertThat(policy.decide("warning", ran()).open()).isTrue();
        assertThat(policy.decide("CRITICAL", ran()).open()).isTrue();
        assertThat(policy.decide("info", ran())).isEqualTo(new TicketPolicy.Decision(false,
                "severity info is not in rootcause.tickets.open-for (critical,warning)"));
        assertThat(policy.decide(null, ran()).reason()).isEqualTo("severity none is not in rootcause.tickets.open-for (critical,warning)");
        assertThat(policy.decide("info", ran("ticket-always"))).isEqualTo(new TicketPolicy.Decision(true,
                "rule ticket-always says ticket: always"));
        assertThat(policy.decide("critical", ran("ticket-never")).open()).isFalse();
        assertThat(policy.decide("critical", ran("ticket-never", "ticket-always")).open()).as("always wins").isTrue();
        assertThat(policy.decide("info", ran("test-rule")).open()).as("a rule without ticket: leaves it to severity").isFalse();

        TicketPolicy everything = new TicketPolicy(List.of("*"), rules);
        assertThat(everything.decide(null, ran()).open()).isTrue();
        assertThat(new TicketPolicy(List.of("none"), rules).decide(null, ran()).open()).isTrue();
    }

    private static Diagnosis ran(String... ruleIds) {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        return new Diagnosis(new AlertContext("t", Map.of(), Map.of(), now, now), List.of(ruleIds), List.of(), List.of(), null,
                List.of(), null, List.of());
    }
}
