package dev.rootcause.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Payloads;
import dev.rootcause.alert.reading.AlertReader;
import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.Notification;
import dev.rootcause.rule.vocabulary.SymptomVocabulary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A Datadog monitor notification in the shipped payload's shape, read into one alert. */
class DatadogWebhookParserTest {

    private final DatadogWebhookParser parser = new DatadogWebhookParser(Payloads.JSON);

    private static byte[] bytes(ObjectNode n) {
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void triggeredMonitorBecomesAFiringAlertWithItsTagsAndQuery() {
        Notification n = parser.parse(bytes(Payloads.fixture("datadog/checkout-errors-triggered.json")));
        assertThat(n.source()).isEqualTo("datadog");
        assertThat(n.status()).isEqualTo(Alert.Status.FIRING);
        Alert a = n.alerts().get(0);
        assertThat(a.labels()).containsEntry("alertname", "Checkout-P1-17").containsEntry("datadog_monitor_id", "148231")
                .containsEntry("service", "checkout").containsEntry("env", "prod").containsEntry("team", "payments-squad")
                .containsEntry("severity", "critical").doesNotContainKey("monitor");
        assertThat(a.annotations()).containsEntry("rootcause_expression_language", "datadog")
                .containsEntry("datadog_transition", "Triggered");
        assertThat(a.annotations().get("rootcause_expression")).startsWith("sum(last_5m):default_zero(sum:trace.servlet.request.errors");
        assertThat(a.startsAt()).isEqualTo(Instant.ofEpochMilli(1764660000000L));
        assertThat(a.endsAt()).isNull();
        assertThat(a.generatorUrl()).startsWith("https://app.datadoghq.eu/event/");
        assertThat(a.fingerprint()).hasSize(16);
        assertThat(n.groupKey()).isEqualTo("{}:{datadog_monitor_id=\"148231\",scope=\"env:prod,service:checkout\"}");
    }

    @Test
    void recoveredNotificationResolvesTheSameAlert() {
        Notification fired = parser.parse(bytes(Payloads.fixture("datadog/checkout-errors-triggered.json")));
        Notification recovered = parser.parse(bytes(Payloads.fixture("datadog/checkout-errors-recovered.json")));
        assertThat(recovered.status()).isEqualTo(Alert.Status.RESOLVED);
        assertThat(recovered.alerts().get(0).fingerprint()).isEqualTo(fired.alerts().get(0).fingerprint());
        assertThat(recovered.groupKey()).isEqualTo(fired.groupKey());
        assertThat(recovered.alerts().get(0).endsAt()).isEqualTo(Instant.ofEpochMilli(1764661200000L));
        assertThat(recovered.dedupKey()).isNotEqualTo(fired.dedupKey());
    }

    @ParameterizedTest
    @CsvSource({"P2,high", "p3,medium", "P5,info"})
    void priorityBecomesSeverity(String priority, String severity) {
        ObjectNode body = Payloads.fixture("datadog/checkout-errors-triggered.json").put("alert_priority", priority);
        assertThat(parser.parse(bytes(body)).alerts().get(0).labels()).containsEntry("severity", severity);
    }

    @Test
    void withoutPriorityTheAlertTypeGivesTheSeverity() {
        ObjectNode body = Payloads.fixture("datadog/checkout-errors-triggered.json").put("alert_priority", "").put("alert_type", "warning");
        assertThat(parser.parse(bytes(body)).alerts().get(0).labels()).containsEntry("severity", "warning");
    }

    @ParameterizedTest
    @CsvSource({"alert_transition,Exploded,expected Triggered", "alert_id,,required", "date,yesterday,epoch milliseconds",
            "alert_id,$ALERT_ID,did not fill"})
    void badFieldsAreNamed(String field, String value, String message) {
        ObjectNode body = Payloads.fixture("datadog/checkout-errors-triggered.json");
        if (value == null) {
            body.remove(field);
        } else {
            body.put(field, value);
        }
        assertThatThrownBy(() -> parser.parse(bytes(body))).isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining(field).hasMessageContaining(message);
    }

    @Test
    void notAnObjectIsRefused() {
        assertThatThrownBy(() -> parser.parse("[1]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("$");
    }

    @Test
    void theShippedPayloadTemplateIsWhatTheParserReads() throws Exception {
        String template = Files.readString(Path.of("src/main/resources/datadog/webhook-payload.json"));
        for (String field : List.of("alert_id", "alert_title", "alert_transition", "alert_priority", "alert_query", "alert_scope", "tags",
                "date", "link", "text_only_msg")) {
            assertThat(template).contains("\"" + field + "\"");
        }
        // a template posted unfilled (no monitor behind it) is refused naming the first variable Datadog left as it was
        assertThatThrownBy(() -> parser.parse(template.getBytes(StandardCharsets.UTF_8))).hasMessageContaining("$ALERT_ID");
    }

    @Test
    void theMonitorQueryIsReadLikeAnAlertExpression() throws Exception {
        Alert a = parser.parse(bytes(Payloads.fixture("datadog/checkout-errors-triggered.json"))).alerts().get(0);
        AlertReader reader = new AlertReader(SymptomVocabulary.load(Path.of("rules/symptoms.yaml")).current(), List.of());
        AlertReading r = reader.read(a.labels(), a.annotations(), a.generatorUrl());
        assertThat(r.symptoms()).extracting(s -> s.symptom().name()).containsExactly("errors");
        assertThat(r.expression()).startsWith("sum(last_5m):");
        assertThat(r.target().get("service")).isEqualTo("checkout");
    }
}
