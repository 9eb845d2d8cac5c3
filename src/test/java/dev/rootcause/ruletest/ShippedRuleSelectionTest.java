package dev.rootcause.ruletest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.alert.reading.SymptomReading;
import dev.rootcause.alert.reading.Target;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.diagnosis.engine.RuleSelection;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.rule.load.RuleLoader;
import dev.rootcause.rule.load.RuleParser;
import dev.rootcause.rule.load.RuleWarnings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped rules are chosen by what an alert was read to have, never by its name: alerts named after a mesh, an
 * SLO, a Redis exporter or anything at all reach the rules of their symptom, and names that merely contain "ssl" or
 * "disk" reach nothing of the kind (issue 17).
 */
class ShippedRuleSelectionTest {

    private static final Instant T = Instant.parse("2025-11-29T10:00:00Z");
    private static List<Rule> rules;

    @BeforeAll
    static void load() throws Exception {
        var types = new RegisteredStepTypes(RuleTestRunner.stepRunners(ServiceCatalogue.load(RuleTestRunner.catalogueOf(Path.of("rules"))),
                MetricConventions.load(Path.of("rules/conventions.yaml"))));
        rules = new ArrayList<>();
        try (var files = Files.list(Path.of("rules"))) {
            for (Path f : files.filter(RuleLoader::isRuleFile).sorted().toList()) {
                rules.add(RuleParser.parseFile(f, f.getFileName().toString(), types, RuleTestRunner.GLOBAL_VARS.keySet()));
            }
        }
    }

    private static AlertContext alert(String name, Map<String, String> target, String... symptoms) {
        Target t = Target.NONE;
        for (var e : target.entrySet()) {
            t = t.with(e.getKey(), e.getValue(), "label " + e.getKey());
        }
        List<SymptomReading> read = Arrays.stream(symptoms)
                .map(s -> new SymptomReading(Symptom.of(s), SymptomReading.From.EXPRESSION, "test")).toList();
        return new AlertContext(name, Map.of("alertname", name), Map.of(), T, T.plusSeconds(120))
                .withReading(new AlertReading(read, t, null, t.isEmpty() ? "no service, pod or node label" : null));
    }

    private static List<String> run(AlertContext alert) {
        return RuleSelection.of(rules, alert).rules().stream().map(Rule::id).toList();
    }

    @Test
    void everyShippedRuleDeclaresSymptomsAndNoneMatchesOnTheAlertName() {
        assertThat(rules).hasSize(19);
        for (Rule r : rules) {
            assertThat(r.declaresSymptoms()).as(r.id()).isTrue();
            assertThat(r.symptoms()).as(r.id()).isNotEmpty();
            assertThat(r.match()).as(r.id() + " routes by name").noneMatch(m -> m.name().equals("alertname"));
            assertThat(RuleWarnings.of(r)).as(r.id()).isEmpty();
        }
    }

    @Test
    void fiveHundredsNamedAfterTheMeshOrAnSloReachTheErrorRules() {
        for (String name : List.of("IstioHighErrorRate", "SLOErrorBudgetBurn", "TeamA-Page-7")) {
            assertThat(run(alert(name, Map.of("service", "checkout"), "errors"))).as(name)
                    .contains("http-5xx-after-deploy", "config-change", "downstream-errors", "dependency-health")
                    .doesNotContain("disk-pressure", "cache-hit-rate", "latency-slow-dependency");
        }
    }

    @Test
    void aRedisHitRatioAlertReachesTheCacheRuleAndEvictionsNoDiskRule() {
        assertThat(run(alert("RedisLowHitRatio", Map.of("service", "redis-sessions"), "cache"))).containsExactly("cache-hit-rate");
        assertThat(run(alert("RedisKeysEvicted", Map.of("service", "redis-sessions"), "cache")))
                .doesNotContain("disk-pressure", "memory-pressure", "pod-restarts");
    }

    @Test
    void slowCallsAreNotCertificatesAndRunTheSaturationChecks() {
        for (String name : List.of("PaymentCallsSlow", "RequestsSlow")) {
            assertThat(run(alert(name, Map.of("service", "payments"), "latency"))).as(name)
                    .doesNotContain("cert-expiry", "disk-pressure")
                    .contains("connection-pool-exhaustion", "thread-pool-saturation", "jvm-gc-pauses", "cpu-throttling",
                            "latency-slow-dependency", "downstream-errors", "dependency-health", "network-phases",
                            "tcp-retransmits", "config-change");
        }
    }

    @Test
    void aParentSymptomOfTheAlertIsExplainedByTheRuleOfItsChild() {
        assertThat(run(alert("ContainerCpuThrottled", Map.of("service", "checkout"), "saturation.cpu"))).containsExactly("cpu-throttling");
        assertThat(run(alert("JvmMemoryHigh", Map.of("service", "checkout"), "saturation.memory")))
                .containsExactlyInAnyOrder("jvm-gc-pauses", "memory-pressure");
    }

    @Test
    void aRuleWhoseTargetIsMissingDoesNotRunAndSaysSo() {
        RuleSelection s = RuleSelection.of(rules, alert("LatencyHigh", Map.of(), "latency"));
        assertThat(s.rules()).extracting(Rule::id).isEmpty();
        assertThat(s.notRun()).contains(
                "not run: cpu-throttling needs a service or a container; the alert names none (no service, pod or node label)",
                "not run: tcp-retransmits needs a node or an instance or a service; the alert names none (no service, pod or node label)");
        RuleSelection onNode = RuleSelection.of(rules, alert("NodeNetworkSlow", Map.of("node", "worker-3"), "latency", "network"));
        assertThat(onNode.rules()).extracting(Rule::id).containsExactly("tcp-retransmits");
        assertThat(onNode.notRun()).contains("not run: network-phases needs a service; the alert names only node worker-3");
    }

    @Test
    void anAlertThatWasNotReadRunsNoSymptomRule() {
        AlertContext unread = new AlertContext("HighErrorRate", Map.of("alertname", "HighErrorRate", "service", "checkout"),
                Map.of(), T, T.plusSeconds(60));
        assertThat(RuleSelection.of(rules, unread).rules()).isEmpty();
    }

    @Test
    void theDiskRuleRunsOnANodeAlertAndCertExpiryOnACertificateAlert() {
        assertThat(run(alert("NodeFilesystemAlmostOutOfSpace", Map.of("node", "worker-1"), "disk"))).containsExactly("disk-pressure");
        assertThat(run(alert("SSLCertExpiringSoon", Map.of("service", "checkout"), "certificate"))).containsExactly("cert-expiry");
        assertThat(Set.copyOf(run(alert("KubePodCrashLooping", Map.of("pod", "checkout-7d9f-abcde"), "restarts"))))
                .isEqualTo(Set.of("pod-restarts", "memory-pressure"));
    }
}
