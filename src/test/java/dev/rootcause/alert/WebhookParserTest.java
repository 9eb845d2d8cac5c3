package dev.rootcause.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.Payloads;
import dev.rootcause.api.alert.IntakeResource;
import dev.rootcause.incident.Notification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Fast checks of the webhook reader and the dedup key, without the service. */
class WebhookParserTest {

    private final WebhookParser parser = new WebhookParser(new ObjectMapper());

    private Notification parse(String fixture) {
        return parser.parse("alertmanager", Payloads.fixture(fixture).toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAlertmanagerFields() {
        Notification n = parse("alertmanager-truncated.json");
        assertThat(n.truncatedAlerts()).isEqualTo(57);
        assertThat(n.alerts()).hasSize(3);
        assertThat(n.alerts().get(0).endsAt()).as("0001-01-01T00:00:00Z is not ended").isNull();
        assertThat(n.alerts().get(0).startsAt()).isEqualTo(Instant.parse("2024-05-14T08:58:12.104Z"));
        assertThat(n.alerts().get(0).fingerprint()).isEqualTo("0a4f7d2e9c1b5836");
    }

    @Test
    void acceptsOffsetsAndNanoseconds() {
        String body = "{\"status\":\"firing\",\"groupKey\":\"g\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\"f\","
                + "\"labels\":{},\"startsAt\":\"2024-05-14T11:00:00.123456789+02:00\"}]}";
        Notification n = parser.parse("alertmanager", body.getBytes(StandardCharsets.UTF_8));
        assertThat(n.alerts().get(0).startsAt()).isEqualTo(Instant.parse("2024-05-14T09:00:00.123456789Z"));
    }

    @Test
    void dedupKeyIgnoresPeerAndOrderButNotStatus() {
        var body = Payloads.fixture("alertmanager-firing-2-alerts.json");
        String key = parser.parse("alertmanager", bytes(body.toString())).dedupKey();

        var peer = body.deepCopy();
        peer.put("externalURL", "http://peer:9093");
        peer.put("receiver", "other");
        var first = peer.withArray("alerts").remove(0);
        peer.withArray("alerts").add(first);
        assertThat(parser.parse("alertmanager", bytes(peer.toString())).dedupKey()).isEqualTo(key);

        assertThat(parser.parse("alertmanager", bytes(Payloads.withStatus(body, "resolved").toString())).dedupKey())
                .isNotEqualTo(key);
        assertThat(parser.parse("grafana", bytes(body.toString())).dedupKey()).isNotEqualTo(key);
    }

    @Test
    void nullAndWrongTypesInLabelMapsAreNamed() {
        String alert = "{\"status\":\"firing\",\"fingerprint\":\"f\",\"labels\":{},\"startsAt\":\"2024-05-14T09:00:00Z\"}";
        String body = "{\"status\":\"firing\",\"groupKey\":\"g\",\"commonLabels\":{\"a\":null},\"alerts\":[" + alert + "]}";
        assertThatThrownBy(() -> parser.parse("grafana", bytes(body)))
                .isInstanceOf(InvalidPayloadException.class).hasMessageStartingWith("commonLabels.a:");
        String bad = "{\"status\":\"firing\",\"groupKey\":\"g\",\"commonAnnotations\":[],\"alerts\":[" + alert + "]}";
        assertThatThrownBy(() -> parser.parse("grafana", bytes(bad)))
                .isInstanceOf(InvalidPayloadException.class).hasMessageStartingWith("commonAnnotations:");
    }

    @Test
    void contactPointTestIsRecognised() {
        var body = Payloads.fixture("grafana-firing.json");
        assertThat(IntakeResource.isContactPointTest(parser.parse("grafana", bytes(body.toString())))).isFalse();
        for (var alert : body.withArray("alerts")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) alert).putObject("labels")
                    .put("alertname", "TestAlert").put("instance", "Grafana");
        }
        assertThat(IntakeResource.isContactPointTest(parser.parse("grafana", bytes(body.toString())))).isTrue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
