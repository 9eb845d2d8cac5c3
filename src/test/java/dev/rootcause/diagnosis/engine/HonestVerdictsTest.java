package dev.rootcause.diagnosis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.diagnosis.SenderAlerts;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 19's honesty rules in the engine: evidence measured now, one cause weighed once, alerts about the alerting. */
class HonestVerdictsTest {

    static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");

    static Evidence probe() {
        return new Evidence("probes", "probe.http", "probe", "http", "GET http://auth/health", NOW, NOW, Evidence.Status.OK, null,
                Map.of("failing", 3L), null);
    }

    static Finding down() {
        return new Finding("dependency-health", "dependency-down", Verdict.SUPPORTS, Layer.DEPENDENCY, "3 of 3 dependencies fail",
                Confidence.MEDIUM, List.of("probes"), null);
    }

    @Test
    void aProbeMadeNowDoesNotExplainAnAlertFrom2024WithoutSayingSo() {
        AlertContext old = new AlertContext("HighErrorRate", Map.of(), Map.of(), Instant.parse("2024-05-14T09:02:17Z"), NOW);
        RootCause rc = Verdicts.rootCause(down(), List.of(probe()), old);
        assertThat(rc.confidence()).isEqualTo(Confidence.LOW);
        assertThat(rc.note()).startsWith("lowered to low: probes (probe) measured now, ").contains("after the alert began (2024-05-14T09:02:17Z)")
                .contains("it shows the present, not the alert's time");
    }

    @Test
    void aProbeMadeNowForAFreshAlertKeepsItsConfidence() {
        AlertContext fresh = new AlertContext("HighErrorRate", Map.of(), Map.of(), NOW.minusSeconds(300), NOW);
        RootCause rc = Verdicts.rootCause(down(), List.of(probe()), fresh);
        assertThat(rc.confidence()).isEqualTo(Confidence.MEDIUM);
        assertThat(rc.note()).isNull();
    }

    @Test
    void twoFindingsOfOneRuleOnTheSameEvidenceAreNotWeighedAgainstEachOther() {
        Finding pen = new Finding("cache-hit-rate", "penetration", Verdict.SUPPORTS, Layer.STORAGE, "penetration", Confidence.HIGH,
                List.of("hit_ratio", "misses", "miss_keys"), null);
        Finding keys = new Finding("cache-hit-rate", "miss-key-pattern", Verdict.SUPPORTS, Layer.STORAGE, "one key pattern",
                Confidence.MEDIUM, List.of("hit_ratio", "miss_keys"), null);
        Ranking.Result r = new Ranking(Ranking.Policy.DEFAULT).rank(List.of(pen, keys), NOW);
        assertThat(r.rootCause()).isEqualTo(pen);
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void grafanaDatasourceErrorsAreMonitoringFailuresWithTheirErrorText() {
        AlertContext e = new AlertContext("DatasourceError", Map.of("alertname", "DatasourceError", "rulename", "Checkout latency",
                "datasource_uid", "prom-1", "ref_id", "A"), Map.of("Error", "dial tcp: connection refused"), NOW, NOW);
        assertThat(SenderAlerts.monitoringFailure(e)).contains("Grafana could not evaluate alert rule \"Checkout latency\": datasource"
                + " prom-1 (query A) answered with an error: dial tcp: connection refused");
        AlertContext noData = new AlertContext("x", Map.of("alertname", "DatasourceNoData"), Map.of(), NOW, NOW);
        assertThat(SenderAlerts.monitoringFailure(noData)).contains("Grafana could not evaluate alert rule: datasource returned no data");
        AlertContext test = new AlertContext("x", Map.of("alertname", "TestAlert", "instance", "Grafana"), Map.of(), NOW, NOW);
        assertThat(SenderAlerts.grafanaTest(test)).isTrue();
        assertThat(SenderAlerts.monitoringFailure(new AlertContext("x", Map.of("alertname", "HighLatency"), Map.of(), NOW, NOW))).isEmpty();
    }
}
