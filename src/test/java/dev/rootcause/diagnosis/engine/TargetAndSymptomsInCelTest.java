package dev.rootcause.diagnosis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.alert.reading.SymptomReading;
import dev.rootcause.alert.reading.Target;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import dev.rootcause.rule.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rule's vars and conditions read the alert's target and symptoms as it was read, so one rule works whether the
 * alert labelled its service {@code service}, {@code application} or {@code job}; and the diagnosis lists the rules
 * held back for want of a target.
 */
class TargetAndSymptomsInCelTest {

    private static final Instant T = Instant.parse("2025-11-29T10:00:00Z");

    /** A step that shows the query it would send: {@code up{service="<$service>"}}. */
    private static final StepRunner ECHO = new StepRunner() {
        @Override
        public String type() {
            return "echo";
        }

        @Override
        public String kind() {
            return "metric";
        }

        @Override
        public Map<String, Object> outputs() {
            return Map.of("value", 0.0);
        }

        @Override
        public void check(Map<String, Object> with) {
        }

        @Override
        public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
            return new Evidence(step.id(), type(), kind(), "test", "up{service=\"" + vars.get("service") + "\"}", T, T,
                    Evidence.Status.OK, null, Map.of("value", 1.0), null);
        }
    };

    private static final Rule RULE = new Rule("r", "R", "r.yaml", Layer.NETWORK, List.of(), false,
            Map.of("service", "target.service"), List.of(new Rule.Step("s", "echo", List.of(), Map.of(), null)),
            List.of(new Rule.FindingRule("about-certificate", "'certificate' in symptoms && steps.s.value > 0.0", "{service}",
                    Confidence.MEDIUM, List.of("s"))),
            null, null, List.of(Symptom.of("certificate"), Symptom.of("latency")), List.of("service"));

    private static AlertContext read(Map<String, String> labels, String kind, String value, String how, String symptom) {
        Target target = kind == null ? Target.NONE : Target.NONE.with(kind, value, how);
        return new AlertContext("t", labels, Map.of(), T, T.plusSeconds(60)).withReading(new AlertReading(
                List.of(new SymptomReading(Symptom.of(symptom), SymptomReading.From.WORDS, "test")), target, null,
                target.isEmpty() ? "no label names a service" : null));
    }

    private static Diagnosis diagnose(AlertContext alert) {
        RuleSelection s = RuleSelection.of(List.of(RULE), alert);
        try (Engine engine = new Engine(List.of(ECHO), 1, Duration.ofSeconds(5))) {
            return engine.run(alert, s.rules(), Map.of(), s.notRun(), s.unselectedLayers(), Engine.Request.BACKGROUND);
        }
    }

    @Test
    void varsReadTheServiceWhateverLabelNamedIt() {
        for (String label : List.of("service", "application", "job")) {
            Diagnosis d = diagnose(read(Map.of(label, "checkout"), "service", "checkout", "label " + label, "latency"));
            assertThat(d.rules()).containsExactly("r");
            assertThat(d.evidence()).singleElement().extracting(Evidence::query).isEqualTo("up{service=\"checkout\"}");
        }
    }

    @Test
    void conditionsReadTheSymptoms() {
        Finding cert = diagnose(read(Map.of(), "service", "checkout", "label app", "certificate")).findings().get(0);
        Finding slow = diagnose(read(Map.of(), "service", "checkout", "label app", "latency")).findings().get(0);
        assertThat(cert.verdict()).isEqualTo(Verdict.SUPPORTS);
        assertThat(slow.verdict()).isEqualTo(Verdict.RULES_OUT);
    }

    @Test
    void aRuleHeldBackForWantOfATargetIsNamedInTheDiagnosis() {
        Diagnosis d = diagnose(read(Map.of("application", ""), null, null, null, "latency"));
        assertThat(d.rules()).isEmpty();
        assertThat(d.notRun()).containsExactly("not run: r needs a service; the alert names none (no label names a service)");
    }

    @Test
    void anUnreadAlertHasItsKindLabelsAsTarget() {
        AlertContext unread = new AlertContext("t", Map.of("service", "checkout", "job", "api"), Map.of(), T, T);
        assertThat(CelAlert.target(unread)).isEqualTo(Map.of("service", "checkout"));
        assertThat(CelAlert.symptoms(unread)).isEmpty();
    }
}
