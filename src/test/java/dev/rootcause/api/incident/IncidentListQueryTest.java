package dev.rootcause.api.incident;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /api/v1/incidents}: {@code since} filters on when an incident opened; {@code service} is refused, not ignored. */
@QuarkusTest
class IncidentListQueryTest {

    private static List<Long> ids(String query) {
        List<Long> ids = new ArrayList<>();
        Api.read(given().get("/api/v1/incidents?" + query).then().statusCode(200).extract().asString())
                .forEach(i -> ids.add(i.get("id").asLong()));
        return ids;
    }

    @Test
    void sinceKeepsIncidentsOpenedThenOrLater() {
        ObjectNode body = Payloads.unique("alertmanager-real-cache-hit-rate-low.json");
        Api.post("alertmanager", Payloads.text(body)).then().statusCode(202);
        JsonNode incident = Api.awaitIncident(body.get("groupKey").asText());
        long id = incident.get("id").asLong();
        Instant opened = Instant.parse(incident.get("openedAt").asText());

        assertThat(ids("since=" + opened + "&limit=1000")).contains(id);
        assertThat(ids("since=" + opened.plusSeconds(1) + "&limit=1000")).doesNotContain(id);
        assertThat(ids("since=3650d&status=" + incident.get("status").asText() + "&limit=1000")).contains(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"banana", "2026-13-01T00:00:00Z", "99999999999999999h"})
    void aBadSinceIs400NamingIt(String since) {
        given().get("/api/v1/incidents?since=" + since).then().statusCode(400).body("field", equalTo("since"));
    }

    @Test
    void serviceIsRefusedNotIgnored() {
        given().get("/api/v1/incidents?service=zzz").then().statusCode(400).body("field", equalTo("service"))
                .body("error", containsString("not supported"));
    }
}
