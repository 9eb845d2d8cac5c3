package dev.rootcause.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Payloads;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every alert intake refuses a time outside years 0000–9999 (docs/api.md) naming its field, as the Alertmanager parser
 * did alone: java.time reads them, PostgreSQL cannot store the far ones, so a 202 would be a lost alert.
 */
class TimeBoundsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final WebhookParser parser = new WebhookParser(Payloads.JSON);
    final DatadogWebhookParser datadog = new DatadogWebhookParser(Payloads.JSON);

    static byte[] bytes(Object node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    static InvalidPayloadException refused(Runnable parse) {
        try {
            parse.run();
        } catch (InvalidPayloadException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"253402300800000", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00"})
    void datadogDateOutsideTheYearsIsRefusedNamingIt(String date) {
        ObjectNode body = Payloads.fixture("datadog/checkout-errors-triggered.json").put("date", date);
        assertThat(refused(() -> datadog.parse(bytes(body))).field()).isEqualTo("date");
    }

    @ParameterizedTest
    @CsvSource({"253402300799999,9999-12-31T23:59:59.999Z", "1764660000000,2025-12-02T07:20:00Z"})
    void datadogDatesInsideTheYearsAreRead(String date, String instant) {
        ObjectNode body = Payloads.fixture("datadog/checkout-errors-triggered.json").put("date", date);
        assertThat(datadog.parse(bytes(body)).alerts().get(0).startsAt()).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @CsvSource({"startTime,99999999999999999,[0].startTime", "startTime,253402300800000,[0].startTime",
        "recoveryTime,99999999999999999,[0].recoveryTime"})
    void skyWalkingMillisOutsideTheYearsAreRefusedNamingThem(String field, long millis, String path) throws Exception {
        ObjectNode alarm = JSON.createObjectNode().put("scope", "SERVICE").put("name", "a").put("ruleName", "r")
                .put("startTime", 1764410400000L);
        alarm.put(field, millis);
        byte[] body = bytes(JSON.createArrayNode().add(alarm));
        assertThat(refused(() -> parser.parseSkyWalking(body)).field()).isEqualTo(path);
    }

    @ParameterizedTest
    @CsvSource({"starts_at,+10000-01-01T00:00:00Z", "starts_at,-0001-01-01T00:00:00Z", "ends_at,+10000-01-01T00:00:00Z"})
    void zabbixTimesOutsideTheYearsAreRefusedNamingThem(String field, String time) throws Exception {
        ObjectNode body;
        try (InputStream in = TimeBoundsTest.class.getResourceAsStream("/zabbix/event-problem.json")) {
            body = (ObjectNode) JSON.readTree(in);
        }
        body.put(field, time);
        assertThat(refused(() -> parser.parse("zabbix", bytes(body))).field()).isEqualTo(field);
    }

    @ParameterizedTest
    @CsvSource({"alertmanager-firing-2-alerts.json,alertmanager", "grafana-firing.json,grafana"})
    void anOffsetThatCarriesYear9999PastItsEndIsRefused(String fixture, String source) {
        ObjectNode body = Payloads.fixture(fixture);
        ((ObjectNode) body.withArray("alerts").get(0)).put("startsAt", "9999-12-31T23:00:00-05:00");
        assertThat(refused(() -> parser.parse(source, bytes(body))).field()).isEqualTo("alerts[0].startsAt");
    }
}
