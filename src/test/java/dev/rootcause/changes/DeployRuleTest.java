package dev.rootcause.changes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.diagnosis.engine.Engine;
import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.changes.ChangesDiffStep;
import dev.rootcause.diagnosis.step.changes.ChangesLatestStep;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.load.RuleParser;
import dev.rootcause.ruletest.replay.ReplayChangeSource;
import dev.rootcause.ruletest.replay.ReplayMetricsSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped rule http-5xx-after-deploy on its recorded scenarios: what the report says, not only the verdicts. */
class DeployRuleTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path TESTS = Path.of("rules/tests/http-5xx-after-deploy");

    Diagnosis run(String scenario) throws Exception {
        Path dir = TESTS.resolve(scenario);
        ReplayMetricsSource prometheus = Files.exists(dir.resolve("prometheus.json"))
                ? new ReplayMetricsSource(dir.resolve("prometheus.json"), JSON) : new ReplayMetricsSource();
        ChangeSource changes = Files.exists(dir.resolve("changes.json"))
                ? new ReplayChangeSource(dir.resolve("changes.json"), JSON) : new ReplayChangeSource();
        var conventions = new dev.rootcause.diagnosis.step.metrics.ConventionResolver(prometheus,
                dev.rootcause.rule.MetricConventions.load(Path.of("rules/conventions.yaml")),
                dev.rootcause.rule.ServiceCatalogue.load(Path.of("rules/services.yaml")), java.time.Clock.systemUTC(), Duration.ofMinutes(10));
        List<StepRunner> runners = List.of(new MetricsCompareStep(prometheus, conventions), new ChangesLatestStep(List.of(changes)),
                new ChangesDiffStep(List.of(changes)));
        Rule rule = RuleParser.parseFile(Path.of("rules/http-5xx-after-deploy.yaml"), "http-5xx-after-deploy.yaml",
                new RegisteredStepTypes(runners), java.util.Set.of("rate_window"));
        JsonNode alert = JSON.readTree(dir.resolve("alert.json").toFile());
        Map<String, String> labels = new HashMap<>();
        alert.get("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        AlertContext context = new AlertContext("t", labels, Map.of(), Instant.parse(alert.get("startsAt").asText()),
                Instant.parse(alert.get("evaluatedAt").asText()));
        try (Engine engine = new Engine(runners, 2, Duration.ofSeconds(10))) {
            return engine.run(context, List.of(rule), Map.of("rate_window", "1m"));
        }
    }

    @Test
    void causeNamesTheDeployAndTheBeforeAfterNumbers() throws Exception {
        Diagnosis d = run("deploy-then-5xx");
        assertThat(d.rootCause().summary())
                .contains("Deploy 1.42.0 of checkout (was 1.41.3, deploy at 2025-11-29T10:00:00Z)")
                .contains("5xx ratio from 0.2% to 8%")
                .contains("p99 latency went from 0.25s to 1.9s")
                .contains("version 1.41.3 → 1.42.0");
        assertThat(d.rootCause().confidence()).isEqualTo(Confidence.HIGH);
        Evidence errors = d.evidence().stream().filter(e -> e.step().equals("errors")).findFirst().orElseThrow();
        // compared around the deploy, not the alert's start (10:15)
        assertThat(errors.windowStart()).isEqualTo(Instant.parse("2025-11-29T09:30:00Z"));
        assertThat(errors.values().get("exceeds_noise")).isEqualTo(true);
        // the classic client's names, found by the detection query, and the query exactly as before conventions
        assertThat(errors.values().get("convention")).isEqualTo("classic (service=\"checkout\", detected)");
        assertThat(errors.query()).isEqualTo("sum(rate(http_requests_total{service=\"checkout\",code=~\"5..\"}[1m]))"
                + " / sum(rate(http_requests_total{service=\"checkout\"}[1m]))");
        assertThat(d.partial()).isEmpty();
    }

    @Test
    void noDeployRulesOutWithoutCallingTheReportPartial() throws Exception {
        Diagnosis d = run("no-deploy");
        assertThat(d.rootCause()).isNull();
        assertThat(d.findings()).allMatch(f -> f.verdict() == Verdict.RULES_OUT);
        assertThat(d.partial()).isEmpty();
        assertThat(d.evidence()).filteredOn(e -> e.step().equals("errors")).allMatch(e -> e.status() == Evidence.Status.SKIPPED);
    }

    @Test
    void changeBackendDownMakesThePartialReport() throws Exception {
        Diagnosis d = run("changes-down");
        assertThat(d.rootCause()).isNull();
        assertThat(d.partial()).anyMatch(p -> p.contains("error") && p.contains("change backends down"));
    }

    @Test
    void noChangeEventEverReachingUsIsNotCheckedNeverRuledOut() throws Exception {
        Diagnosis d = run("no-change-events-reach");
        assertThat(d.rootCause()).isNull();
        assertThat(d.findings()).isNotEmpty().allMatch(f -> f.verdict() == Verdict.NO_DATA);
        Evidence deploy = d.evidence().stream().filter(e -> e.step().equals("deploy")).findFirst().orElseThrow();
        assertThat(deploy.status()).isEqualTo(Evidence.Status.SKIPPED);
        assertThat(deploy.values()).doesNotContainKey("found");
        assertThat(deploy.reason()).startsWith("no change events reach rootcause for checkout (wire your CI/CD");
        assertThat(d.layers()).filteredOn(l -> l.layer() == dev.rootcause.rule.Layer.APPLICATION).singleElement()
                .satisfies(l -> assertThat(l.showed()).startsWith("not checked: ").contains("no change events reach rootcause for checkout").doesNotContain("ruled out"));
        assertThat(d.partial()).isEmpty();
    }

    @Test
    void noChangeSourceConfiguredIsNotCheckedNeverRuledOut() throws Exception {
        List<StepRunner> runners = List.of(new MetricsCompareStep(new ReplayMetricsSource(), null), new ChangesLatestStep(List.of()),
                new ChangesDiffStep(List.of()));
        Rule rule = RuleParser.parseFile(Path.of("rules/config-change.yaml"), "config-change.yaml", new RegisteredStepTypes(runners),
                java.util.Set.of("rate_window"));
        AlertContext context = new AlertContext("t", Map.of("service", "checkout"), Map.of(), Instant.parse("2025-11-29T10:15:00Z"),
                Instant.parse("2025-11-29T10:20:00Z"));
        try (Engine engine = new Engine(runners, 2, Duration.ofSeconds(10))) {
            Diagnosis d = engine.run(context, List.of(rule), Map.of("rate_window", "1m"));
            assertThat(d.findings()).isNotEmpty().allMatch(f -> f.verdict() == Verdict.NO_DATA);
            assertThat(d.evidence().stream().filter(e -> e.step().equals("config_change")).findFirst().orElseThrow().reason())
                    .startsWith("no change source is configured");
        }
    }
}
