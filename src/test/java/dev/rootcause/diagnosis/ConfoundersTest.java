package dev.rootcause.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.engine.Engine;
import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.changes.ChangesLatestStep;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.report.ReportOutliner;
import dev.rootcause.report.render.MarkdownRenderer;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.load.RuleParser;
import dev.rootcause.ruletest.replay.ReplayChangeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change and a failing dependency both supported by their rules, through the engine: which one the report
 * blames, and what it says about the other. The change rule here looks back a week (the shipped deploy rule
 * looks back 2 h, so it cannot see a deploy days old at all: rules/tests/confounders covers that case).
 */
class ConfoundersTest {

    static final Instant ALERT = Instant.parse("2026-11-29T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static final String CHANGE_RULE = """
            id: recent-change
            title: A change of the service, then errors
            layer: application
            match: ['service!=""']
            vars: {service: labels.service}
            steps:
              - id: deploy
                type: changes.latest
                with: {service: $service, lookback: 7d}
              - id: errors
                type: metrics.compare
                with: {query: 'errors{service="$service"}', before: 1h, after: 30m}
            findings:
              - id: change-then-errors
                when: 'steps.deploy.found && steps.errors.after > 3.0 * steps.errors.before'
                cause: 'Change {deploy.version} of {service} at {deploy.time}, then errors at {errors.after|pct}'
                confidence: high
                cites: [deploy, errors]
            """;

    static final String DEPENDENCY_RULE = """
            id: client-errors
            title: Calls to a dependency fail
            layer: dependency
            match: ['service!=""']
            vars: {service: labels.service}
            steps:
              - id: client
                type: metrics.compare
                with: {query: 'client_errors{service="$service",peer="payment"}', before: 1h, after: 30m}
            findings:
              - id: payment-failing
                when: 'steps.client.after > 0.2 && steps.client.exceeds_noise'
                cause: 'Calls from {service} to payment fail: {client.after|pct}'
                confidence: medium
                cites: [client]
            """;

    /** A metric stepping from {@code before} to {@code after} at {@code onset}, one sample a minute. */
    static MetricsSource.Series step(double before, double after, Instant onset) {
        List<Instant> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Instant t = ALERT.minus(Duration.ofHours(1)); !t.isAfter(ALERT.plus(Duration.ofMinutes(20))); t = t.plusSeconds(60)) {
            times.add(t);
            // a little noise so the before window has a spread
            values.add((t.isBefore(onset) ? before : after) * (1 + 0.01 * (times.size() % 3)));
        }
        return new MetricsSource.Series(Map.of(), times, values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    Diagnosis run(Instant deployedAt, Map<String, MetricsSource.Series> series) throws Exception {
        Files.writeString(dir.resolve("changes.json"), JSON.writeValueAsString(List.of(Map.of("id", "ci-1", "service", "checkout",
                "version", "1.41.0", "time", deployedAt.toString(), "kind", "deploy"))));
        MetricsSource metrics = new MetricsSource() {
            @Override
            public String render(String template, Map<String, String> vars) {
                return template.replace("$service", vars.get("service"));
            }

            @Override
            public Result range(String query, Instant start, Instant end, Duration step) {
                return new Result(List.of(series.get(query.substring(0, query.indexOf('{')))), step, List.of());
            }

            @Override
            public Result instant(String query, Instant at) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<String> labelValues(String label, List<String> match, Instant start, Instant end) {
                return List.of();
            }

            @Override
            public String link(String query, Instant start, Instant end) {
                return null;
            }

            @Override
            public String name() {
                return "prometheus";
            }
        };
        List<StepRunner> runners = List.of(new MetricsCompareStep(metrics),
                new ChangesLatestStep(List.of(new ReplayChangeSource(dir.resolve("changes.json"), JSON))));
        List<Rule> rules = new ArrayList<>();
        for (String text : List.of(CHANGE_RULE, DEPENDENCY_RULE)) {
            Path file = dir.resolve("r" + rules.size() + ".yaml");
            Files.writeString(file, text);
            rules.add(RuleParser.parseFile(file, file.getFileName().toString(), new RegisteredStepTypes(runners), Set.of()));
        }
        AlertContext alert = new AlertContext("Checkout errors", Map.of("service", "checkout"), Map.of(), ALERT,
                ALERT.plus(Duration.ofMinutes(20)));
        try (Engine engine = new Engine(runners, 2, Duration.ofSeconds(10))) {
            return engine.run(alert, rules, Map.of());
        }
    }

    @Test
    void aDeployThreeDaysOldIsNotBlamedWhenADependencyStartedFailingWithTheSymptom() throws Exception {
        Diagnosis d = run(ALERT.minus(Duration.ofDays(3)), Map.of(
                "errors", step(0.002, 0.09, ALERT.minus(Duration.ofMinutes(2))),
                "client_errors", step(0.0, 0.6, ALERT.minus(Duration.ofMinutes(3)))));

        // both rules' findings hold; the change's onset is its time, the dependency's its metric's crossing
        assertThat(d.findings()).extracting(Finding::verdict).containsOnly(Verdict.SUPPORTS);
        assertThat(d.rootCause().rule()).isEqualTo("client-errors");
        Finding change = d.findings().stream().filter(f -> f.rule().equals("recent-change")).findFirst().orElseThrow();
        assertThat(change.onset()).isEqualTo(ALERT.minus(Duration.ofDays(3)));
        assertThat(d.rankingNotes()).containsExactly("not blamed: recent-change/change-then-errors began 3 days before the alert "
                + "(2026-11-26T12:00:00Z), more than 24 h before the symptom; client-errors/payment-failing began 3 min before "
                + "the alert (2026-11-29T11:57:00Z)");
        assertThat(MarkdownRenderer.render(ReportOutliner.outline("Checkout errors", null, null, d))).contains("**Weighed against the other causes:**\n- not blamed: "
                + "recent-change/change-then-errors began 3 days before the alert");
    }

    @Test
    void aDeployMinutesBeforeTheSymptomIsPreferredAndTheReportSaysWhy() throws Exception {
        Diagnosis d = run(ALERT.minus(Duration.ofMinutes(4)), Map.of(
                "errors", step(0.002, 0.09, ALERT.minus(Duration.ofMinutes(2))),
                "client_errors", step(0.0, 0.6, ALERT.minus(Duration.ofMinutes(3)))));

        assertThat(d.rootCause().rule()).isEqualTo("recent-change");
        assertThat(d.rootCause().confidence()).isEqualTo(Confidence.HIGH);
        assertThat(d.rankingNotes()).singleElement().asString().startsWith("preferred recent-change/change-then-errors over "
                + "client-errors/payment-failing: its confidence is high against medium (recent-change/change-then-errors began "
                + "4 min before the alert");
    }

    @Test
    void aStaleDeployAloneLeavesTheRootCauseOpenAndSaysWhy() throws Exception {
        Diagnosis d = run(ALERT.minus(Duration.ofDays(3)), Map.of(
                "errors", step(0.002, 0.09, ALERT.minus(Duration.ofMinutes(2))),
                "client_errors", step(0.0, 0.0, ALERT)));

        assertThat(d.rootCause()).isNull();
        assertThat(d.rankingNotes()).singleElement().asString().startsWith("not blamed: recent-change/change-then-errors began 3 days");
        assertThat(d.layers()).filteredOn(l -> l.layer() == Layer.APPLICATION).singleElement().satisfies(l -> assertThat(l.showed())
                .startsWith("supported but not blamed (began too long before the alert): Change 1.41.0 of checkout"));
        assertThat(MarkdownRenderer.render(ReportOutliner.outline("Checkout errors", null, null, d))).contains("not determined: what the evidence supports began too long "
                + "before the symptom to be blamed");
    }
}
