package dev.rootcause.diagnosis.step.changes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.load.RuleParser;
import dev.rootcause.ruletest.replay.ReplayMetricsSource;
import dev.rootcause.support.Deprecations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's rename in rules: a rule written before it ({@code sources:}, {@code {deploy.source}}) still loads and
 * reads the kind, and is warned about once (CHANGELOG.md, Deprecated).
 */
class KindRenameTest {

    @TempDir
    Path dir;

    @Test
    void aRuleWithTheOldNamesLoadsAndIsWarnedAboutOnce() throws Exception {
        String shipped = Files.readString(Path.of("rules/http-5xx-after-deploy.yaml"));
        String old = shipped.replace("kinds: [deploy, rollback]", "sources: [deploy, rollback]").replace("{deploy.kind}", "{deploy.source}");
        assertThat(old).as("the test edits the rule").contains("sources: [deploy, rollback]").contains("{deploy.source}");
        Path file = dir.resolve("old.yaml");
        Files.writeString(file, old);
        ReplayMetricsSource prometheus = new ReplayMetricsSource();
        var conventions = new dev.rootcause.diagnosis.step.metrics.ConventionResolver(prometheus,
                dev.rootcause.rule.MetricConventions.load(Path.of("rules/conventions.yaml")),
                dev.rootcause.rule.ServiceCatalogue.load(Path.of("rules/services.yaml")), java.time.Clock.systemUTC(),
                java.time.Duration.ofMinutes(10));
        List<StepRunner> runners = List.of(new MetricsCompareStep(prometheus, conventions), new ChangesLatestStep(List.of()),
                new ChangesDiffStep(List.of()));
        Rule rule = RuleParser.parseFile(file, "old.yaml", new RegisteredStepTypes(runners), Set.of("rate_window"));
        assertThat(rule.steps()).isNotEmpty();
        assertThat(Deprecations.warned("step-param:changes.sources")).isTrue();
        assertThat(Deprecations.warned("step-value:changes.latest.source")).isTrue();
        assertThat(ChangeLookup.sources(java.util.Map.of("sources", List.of("config")))).containsExactly("config");
        assertThat(Deprecations.warnOnce("step-param:changes.sources", "again")).as("once").isFalse();
    }

    @Test
    void kindsAndSourcesTogetherAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChangeLookup.sources(
                java.util.Map.of("kinds", List.of("config"), "sources", List.of("flag"))))
                .hasMessageStartingWith("sources: the old name of kinds");
    }

    @Test
    void theOldValueGivesTheKindAndTheSenderIsItsOwnValue() {
        var c = new dev.rootcause.diagnosis.port.ChangeEvent("github:deployment:1", "checkout", "v2", null, null, "alice",
                java.time.Instant.parse("2025-11-29T10:00:00Z"), "rollback", null, "api", null, null, null, "github", "production");
        var values = ChangesLatestStep.values(c, java.time.Instant.parse("2025-11-29T10:15:00Z"));
        assertThat(values).containsEntry("kind", "rollback").containsEntry("source", "rollback").containsEntry("sender", "github")
                .containsEntry("environment", "production");
    }
}
