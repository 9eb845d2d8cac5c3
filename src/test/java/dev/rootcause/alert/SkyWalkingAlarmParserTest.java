package dev.rootcause.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rootcause.Payloads;
import dev.rootcause.alert.reading.ForeignExpressions;
import dev.rootcause.alert.reading.PromQl;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.Notification;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * SkyWalking's alarm webhook bodies (src/test/resources/skywalking/: the documented example verbatim, a 10.x alarm
 * with the fields AlarmMessage carries on master, its recovery) read as alerts; bad bodies name the field.
 */
class SkyWalkingAlarmParserTest {

    final WebhookParser parser = new WebhookParser(Payloads.JSON);

    static byte[] body(String name) {
        try (InputStream in = SkyWalkingAlarmParserTest.class.getResourceAsStream("/skywalking/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theDocumentedExampleIsTwoAlertsOfTwoServices() {
        List<Notification> ns = parser.parseSkyWalking(body("alarm-docs-example.json"));
        assertThat(ns).hasSize(2);
        Alert a = ns.get(0).alerts().get(0);
        assertThat(a.labels()).containsEntry("alertname", "service_resp_time_rule").containsEntry("service", "serviceA")
                .containsEntry("skywalking_scope", "SERVICE").containsEntry("severity", "warning").containsEntry("level", "WARNING");
        assertThat(a.startsAt()).hasToString("2019-06-14T14:56:11Z");
        assertThat(a.status()).isEqualTo(Alert.Status.FIRING);
        assertThat(a.fingerprint()).startsWith("sw-").hasSize(19);
        assertThat(ns.get(1).alerts().get(0).fingerprint()).as("another entity, another alarm").isNotEqualTo(a.fingerprint());
        assertThat(ns.get(1).alerts().get(0).labels()).containsEntry("severity", "critical");
        assertThat(ns.get(0).groupKey()).isEqualTo("{}:{alertname=\"service_resp_time_rule\", skywalking_entity=\"serviceA\"}");
        assertThat(ns.get(0).source()).isEqualTo("skywalking");
    }

    @Test
    void aTenXAlarmCarriesItsExpressionUuidLayerAndEndpoint() {
        List<Notification> ns = parser.parseSkyWalking(body("alarm-webhook-10.x.json"));
        Alert service = ns.get(0).alerts().get(0);
        assertThat(service.fingerprint()).isEqualTo("8c2a6d0e-93c4-4f3e-9a7e-6a4b0e0f2b11");
        assertThat(service.labels()).containsEntry("layer", "GENERAL").containsEntry("team", "payments-core");
        assertThat(service.annotations()).containsEntry("rootcause_expression", "avg(service_resp_time) > 1000")
                .containsEntry("rootcause_expression_language", "skywalking")
                .containsEntry("summary", "Response time of service checkout is more than 1000ms in 3 minutes of last 10 minutes.")
                .containsKey("skywalking_snapshot");
        Alert endpoint = ns.get(1).alerts().get(0);
        assertThat(endpoint.labels()).containsEntry("endpoint", "POST:/orders").containsEntry("service", "checkout")
                .containsEntry("skywalking_scope", "ENDPOINT");
    }

    @Test
    void aRecoveryResolvesTheSameAlert() {
        Alert firing = parser.parseSkyWalking(body("alarm-webhook-10.x.json")).get(0).alerts().get(0);
        Notification recovery = parser.parseSkyWalking(body("alarm-recovery.json")).get(0);
        Alert resolved = recovery.alerts().get(0);
        assertThat(resolved.status()).isEqualTo(Alert.Status.RESOLVED);
        assertThat(resolved.fingerprint()).isEqualTo(firing.fingerprint());
        assertThat(resolved.endsAt()).hasToString("2025-11-29T10:15:00Z");
        assertThat(recovery.groupKey()).isEqualTo(parser.parseSkyWalking(body("alarm-webhook-10.x.json")).get(0).groupKey());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "SERVICE_INSTANCE, pod-1 of checkout, service_instance=pod-1, service=checkout",
        "SERVICE_RELATION, frontend to checkout, service=frontend, dest_service=checkout",
        "ENDPOINT_RELATION, GET:/ in frontend to POST:/orders in checkout, service=frontend, dest_service=checkout",
        "ENDPOINT, GET:/check in stock in inventory, endpoint=GET:/check in stock, service=inventory",
    })
    void entityNamesSplitAsSkyWalkingBuildsThem(String scope, String name, String first, String second) {
        Map<String, String> labels = new LinkedHashMap<>();
        SkyWalkingAlarmParser.entity(scope, name, labels);
        assertThat(labels).containsEntry(first.split("=")[0], first.split("=")[1]).containsEntry(second.split("=")[0], second.split("=")[1]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not an array      | {\"scope\":\"SERVICE\"}                                                              | $",
        "empty array       | []                                                                                   | $",
        "no rule           | [{\"scope\":\"SERVICE\",\"name\":\"a\",\"startTime\":1764410400000}]                  | [0].ruleName",
        "start in seconds  | [{\"scope\":\"SERVICE\",\"name\":\"a\",\"ruleName\":\"r\",\"startTime\":1764410400}]  | [0].startTime",
        "start as text     | [{\"scope\":\"SERVICE\",\"name\":\"a\",\"ruleName\":\"r\",\"startTime\":\"now\"}]     | [0].startTime",
        "tags not an array | [{\"scope\":\"SERVICE\",\"name\":\"a\",\"ruleName\":\"r\",\"startTime\":1764410400000,\"tags\":\"x\"}] | [0].tags",
    })
    void badBodiesNameTheField(String why, String body, String field) {
        assertThatThrownBy(() -> parser.parseSkyWalking(body.getBytes()))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void mqeExpressionsReadAsSelectors() {
        PromQl.Expression e = ForeignExpressions.read("skywalking", "sum(service_sla < 8000) >= 2").orElseThrow();
        assertThat(e.selectors()).extracting(PromQl.Selector::metric).containsExactly("service_sla");
        assertThat(e.selectors().get(0).functions()).containsExactly("sum");
        PromQl.Expression p = ForeignExpressions.skywalking("avg(service_percentile{p='50,99'}) > 1000 && avg(service_resp_time) > 1000");
        assertThat(p.selectors()).extracting(PromQl.Selector::metric).containsExactly("service_percentile", "service_resp_time");
        assertThat(p.selectors().get(0).matchers()).containsExactly(new PromQl.Matcher("p", "=~", "50|99"));
        PromQl.Expression r = ForeignExpressions.skywalking("top_n(relabels(service_cpm, label='x', replace='y'), 10, des)");
        assertThat(r.selectors()).extracting(PromQl.Selector::metric).containsExactly("service_cpm");
        assertThat(r.selectors().get(0).functions()).containsExactly("relabels", "top_n");
    }
}
