package dev.rootcause.diagnosis.step.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.rule.Rule;
import dev.rootcause.ruletest.replay.ReplayMetricsSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code network.phases} and {@code network.retransmits} over recorded Prometheus answers. */
class NetworkStepsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant START = Instant.parse("2025-11-29T10:00:00Z");
    static final AlertContext ALERT = new AlertContext("t", Map.of(), Map.of(), START, START.plusSeconds(120));
    /** A label value from outside, with a quote and a backslash: it must arrive escaped. */
    static final Map<String, String> VARS = Map.of("service", "check\"out\\", "node", "n1:9100", "rate_window", "1m");
    static final String PHASES_Q = "avg by (phase) (probe_http_duration_seconds{service=\"check\\\"out\\\\\"})";
    static final String RETRANS_Q = "sum(rate(node_netstat_Tcp_RetransSegs{instance=\"n1:9100\"}[1m]))";
    static final String OUT_Q = "sum(rate(node_netstat_Tcp_OutSegs{instance=\"n1:9100\"}[1m]))";
    static final String DNS_Q = "avg(probe_dns_lookup_time_seconds{service=\"check\\\"out\\\\\"})";

    @TempDir
    Path dir;

    private ObjectNode series(Map<String, String> labels, double before, double after) {
        ObjectNode s = JSON.createObjectNode();
        s.set("metric", JSON.valueToTree(labels));
        ArrayNode values = s.putArray("values");
        for (int m = 60; m > 0; m--) {
            values.addArray().add(START.getEpochSecond() - 60L * m).add(String.valueOf(before));
        }
        for (int i = 0; i < 8; i++) {
            values.addArray().add(START.getEpochSecond() + 15L * i).add(String.valueOf(after));
        }
        return s;
    }

    private MetricsSource replay(Map<String, List<ObjectNode>> answers) throws IOException {
        ArrayNode list = JSON.createArrayNode();
        answers.forEach((q, result) -> {
            ObjectNode a = list.addObject().put("query", q).putObject("answer").put("status", "success");
            a.putObject("data").put("resultType", "matrix").set("result", JSON.valueToTree(result));
        });
        Path f = dir.resolve("prometheus.json");
        JSON.writeValue(f.toFile(), list);
        return new ReplayMetricsSource(f, JSON);
    }

    private static Rule.Step step(String type, String selector) {
        return new Rule.Step("s", type, List.of(), Map.of("selector", selector), null);
    }

    @Test
    void phasesBlameTheOneThatGrew() throws IOException {
        MetricsSource m = replay(Map.of(PHASES_Q, List.of(
                series(Map.of("phase", "resolve"), 0.002, 0.002), series(Map.of("phase", "connect"), 0.001, 0.0012),
                series(Map.of("phase", "tls"), 0.0, 0.0), series(Map.of("phase", "processing"), 0.02, 0.42),
                series(Map.of("phase", "transfer"), 0.0005, 0.0005)),
                DNS_Q, List.of(series(Map.of(), 0.002, 0.002))));
        Evidence e = new NetworkPhasesStep(m).run(step("network.phases", "service=\"$service\""), ALERT, VARS, Map.of());
        assertThat(e.status()).isEqualTo(Evidence.Status.OK);
        assertThat(e.query()).isEqualTo(PHASES_Q + "\n" + DNS_Q);
        assertThat(e.values()).containsEntry("grew", "processing").containsEntry("tls_delta", 0.0);
        assertThat((double) e.values().get("grew_delta")).isCloseTo(0.4, org.assertj.core.api.Assertions.within(1e-9));
        assertThat((double) e.values().get("grew_ratio")).isCloseTo(21.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat((double) e.values().get("grew_share")).isGreaterThan(0.99);
        assertThat(e.recorded()).extracting(Evidence.Recorded::query).containsExactly(PHASES_Q, DNS_Q);
    }

    @Test
    void phasesWithNoSeriesAreNoDataSayingWhy() throws IOException {
        MetricsSource m = replay(Map.of(PHASES_Q, List.of(), DNS_Q, List.of()));
        Evidence e = new NetworkPhasesStep(m).run(step("network.phases", "service=\"$service\""), ALERT, VARS, Map.of());
        assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA);
        assertThat(e.reason()).startsWith("Prometheus returned no probe_http_duration_seconds series");
        assertThat(e.values()).containsEntry("grew", "");
    }

    @Test
    void aBackendFailureIsEvidenceNotAnException() throws IOException {
        MetricsSource m = replay(Map.of());
        Evidence e = new NetworkPhasesStep(m).run(step("network.phases", "service=\"$service\""), ALERT, VARS, Map.of());
        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).isEqualTo("Prometheus down (no answer recorded)"); // nothing recorded at all
        Evidence r = new NetworkRetransmitsStep(m).run(step("network.retransmits", "instance=\"$node\""), ALERT, VARS, Map.of());
        assertThat(r.status()).isEqualTo(Evidence.Status.ERROR);
    }

    @Test
    void retransmitsAreAShareOfSegmentsSent() throws IOException {
        MetricsSource m = replay(Map.of(RETRANS_Q, List.of(series(Map.of(), 1, 60)), OUT_Q, List.of(series(Map.of(), 2000, 2000))));
        Evidence e = new NetworkRetransmitsStep(m).run(step("network.retransmits", "instance=\"$node\""), ALERT, VARS, Map.of());
        assertThat(e.status()).isEqualTo(Evidence.Status.OK);
        assertThat(e.query()).isEqualTo(RETRANS_Q + "\n" + OUT_Q);
        assertThat(e.values()).containsEntry("before", 0.0005).containsEntry("after", 0.03).containsEntry("retrans_after", 60.0)
                .containsEntry("before_points", 60L).containsEntry("after_points", 8L);
        assertThat((double) e.values().get("ratio")).isCloseTo(60.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void nothingSentIsNoDataNotADivisionByZero() throws IOException {
        MetricsSource m = replay(Map.of(RETRANS_Q, List.of(series(Map.of(), 0, 0)), OUT_Q, List.of(series(Map.of(), 10, 0))));
        Evidence e = new NetworkRetransmitsStep(m).run(step("network.retransmits", "instance=\"$node\""), ALERT, VARS, Map.of());
        assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA);
        assertThat(e.reason()).startsWith("no segments sent after");
    }

    @Test
    void selectorIsLabelMatchersOnly() {
        assertThatThrownBy(() -> new NetworkPhasesStep(null).check(Map.of("selector", "x} or vector(1) or up{")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("selector: label matchers without braces");
        assertThatThrownBy(() -> new NetworkRetransmitsStep(null).check(Map.of("selector", "instance=\"a\"", "query", "up")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("query: unknown parameter");
    }
}
