package dev.rootcause.diagnosis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import dev.rootcause.rule.Rule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a finding may be ruled out although some of the steps it reads have no data. */
class VerdictsTest {

    private static final Instant T = Instant.parse("2026-11-29T12:00:00Z");
    private static final AlertContext ALERT = new AlertContext("t", Map.of("service", "checkout"), Map.of(), T, T);

    private static Rule rule(String when) {
        return new Rule("r", "R", "r.yaml", Layer.NETWORK, List.of(), true, Map.of(), List.of(),
                List.of(new Rule.FindingRule("f", when, "cause", Confidence.MEDIUM, List.of("a", "b"))), null);
    }

    private static Evidence evidence(String id, Evidence.Status status, Map<String, Object> values) {
        return new Evidence(id, "network.phases", "metric", "prometheus", "q", T, T, status,
                status == Evidence.Status.OK ? null : "no series", values, null);
    }

    @Test
    void placeholdersOfAStepWithoutDataNeverRuleACauseOut() {
        // a no-data step still carries its placeholder values (grew = ""); reading them would say "ruled out"
        Map<String, Evidence> evidence = Map.of("a", evidence("a", Evidence.Status.NO_DATA, Map.of("grew", "", "grew_ratio", 1.0)));
        Finding f = Verdicts.evaluate(rule("steps.a.grew == \"resolve\" && steps.a.grew_ratio > 2.0"), evidence, Map.of(), ALERT).get(0);
        assertThat(f.verdict()).isEqualTo(Verdict.NO_DATA);
    }

    @Test
    void aConditionFalseOnTheStepsThatEndedOkRulesOutWhateverTheMissingOnesSay() {
        Map<String, Evidence> evidence = Map.of(
                "a", evidence("a", Evidence.Status.OK, Map.of("found", false)),
                "b", evidence("b", Evidence.Status.ERROR, Map.of("after", 9.0)));
        Finding f = Verdicts.evaluate(rule("steps.a.found && steps.b.after > 3.0"), evidence, Map.of(), ALERT).get(0);
        assertThat(f.verdict()).isEqualTo(Verdict.RULES_OUT);
        assertThat(f.reason()).contains("whatever the missing steps show").contains("b error");
        // the same condition with the ok step saying "found": undecided without b
        Map<String, Evidence> found = Map.of(
                "a", evidence("a", Evidence.Status.OK, Map.of("found", true)),
                "b", evidence("b", Evidence.Status.ERROR, Map.of("after", 9.0)));
        assertThat(Verdicts.evaluate(rule("steps.a.found && steps.b.after > 3.0"), found, Map.of(), ALERT).get(0).verdict())
                .isEqualTo(Verdict.NO_DATA);
    }
}
