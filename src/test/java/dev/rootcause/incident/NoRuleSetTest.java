package dev.rootcause.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without a rule set the service is not ready, yet an alert still gets its report (saying why) and its ticket. */
@QuarkusTest
@TestProfile(NoRuleSetTest.MissingRules.class)
class NoRuleSetTest {

    public static class MissingRules implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rootcause.rules.dir", "target/no-such-rules-folder");
        }
    }

    @Test
    void alertIsNotHiddenWhenNoDiagnosisCanRun() {
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(503);
        ObjectNode body = Payloads.unique("alertmanager-real-cache-hit-rate-low.json");
        Api.post("alertmanager", body.toString()).then().statusCode(202);
        long id = Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong();
        JsonNode incident = await().atMost(Api.DEADLINE).until(() -> Api.incident(id),
                i -> !i.get("report").isNull() && !i.get("ticket").isNull());
        assertThat(incident.at("/report/markdown").asText())
                .contains("the diagnosis could not run")
                .contains("diagnosis failed: no rule set: rules folder").contains("does not exist");
    }
}
