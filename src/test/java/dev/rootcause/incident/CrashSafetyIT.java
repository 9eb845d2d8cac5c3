package dev.rootcause.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.PackagedApp;
import dev.rootcause.Payloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing answered 202 is lost: the packaged service is SIGKILLed right after intake accepted a body,
 * and the alert is processed after a restart.
 */
class CrashSafetyIT {

    @TempDir
    Path workDir;

    private Map<String, String> config(boolean processing) {
        return Map.of(
                "quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + workDir.resolve("data/rootcause")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "rootcause.rules.dir", Path.of("rules").toAbsolutePath().toString(),
                "rootcause.incidents.processing-enabled", String.valueOf(processing));
    }

    @Test
    void acceptedButUnprocessedAlertSurvivesSigkill() throws Exception {
        ObjectNode body = bigGroup(500);
        try (PackagedApp app = new PackagedApp(workDir)) {
            // Processing off: the body can only be in the store, not yet in an incident, when we kill.
            app.start(config(false));
            assertThat(app.post("/api/v1/alerts/alertmanager", body.toString()).statusCode()).isEqualTo(202);
            app.kill();
            assertThat(app.start(config(true)).get("/api/v1/incidents").statusCode()).isEqualTo(200);
            assertThat(awaitAlertCount(app, body.get("groupKey").asText())).isEqualTo(500);
        }
    }

    @Test
    void sigkillRightAfterTheAnswerLosesNothing() throws Exception {
        try (PackagedApp app = new PackagedApp(workDir)) {
            app.start(config(true));
            ObjectNode body = bigGroup(2000);
            assertThat(app.post("/api/v1/alerts/alertmanager", body.toString()).statusCode()).isEqualTo(202);
            app.kill(); // processing of 2,000 alerts was under way, or not begun
            app.start(config(true));
            assertThat(awaitAlertCount(app, body.get("groupKey").asText())).isEqualTo(2000);
            assertThat(app.post("/api/v1/alerts/alertmanager", body.toString()).statusCode())
                    .as("the stored copy still de-duplicates after the restart").isEqualTo(200);
        }
    }

    private static int awaitAlertCount(PackagedApp app, String groupKey) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (JsonNode i : Api.read(app.get("/api/v1/incidents").body())) {
                if (groupKey.equals(i.get("groupKey").asText())) {
                    return i.get("alertCount").asInt();
                }
            }
            return -1;
        }, n -> n > 0);
    }

    private static ObjectNode bigGroup(int size) {
        ObjectNode body = Payloads.unique("alertmanager-firing-2-alerts.json");
        ArrayNode alerts = body.withArray("alerts");
        ObjectNode template = (ObjectNode) alerts.get(0);
        alerts.removeAll();
        for (int i = 0; i < size; i++) {
            ObjectNode a = template.deepCopy();
            a.put("fingerprint", String.format("%016x", i));
            ((ObjectNode) a.get("labels")).put("instance", "10.2." + (i / 256) + "." + (i % 256) + ":8080");
            alerts.add(a);
        }
        return body;
    }
}
