package dev.rootcause.diagnosis.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The step DAG: concurrency, timeouts, skips and verdicts, with fake step runners (no backend). */
class EngineTest {

    private static final AlertContext ALERT = new AlertContext("t", Map.of("service", "s"), Map.of(),
            Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-01T10:05:00Z"));

    /** A runner whose steps wait on a latch, then report {@code value}. */
    private static StepRunner gate(String type, CountDownLatch latch, Duration wait) {
        return new StepRunner() {
            public String type() {
                return type;
            }

            public String kind() {
                return type.startsWith("metric") ? "metric" : "log";
            }

            public Map<String, Object> outputs() {
                return Map.of("value", 0.0, "needs_seen", 0L);
            }

            public void check(Map<String, Object> with) {
            }

            public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
                latch.countDown();
                try {
                    boolean all = latch.await(wait.toMillis(), TimeUnit.MILLISECONDS);
                    return new Evidence(step.id(), type, kind(), "fake", null, null, null,
                            all ? Evidence.Status.OK : Evidence.Status.ERROR, all ? null : "peers did not run alongside",
                            Map.of("value", 1.0, "needs_seen", (long) previous.size()), null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static Rule rule(List<Rule.Step> steps, List<Rule.FindingRule> findings) {
        return new Rule("r", "R", "r.yaml", Layer.APPLICATION, List.of(), false, Map.of(), steps, findings, null);
    }

    private static Rule.Step step(String id, String type, List<String> needs, Duration timeout) {
        return new Rule.Step(id, type, needs, Map.of(), timeout);
    }

    @Test
    void independentStepsRunAtTheSameTime() {
        // Four independent steps each wait until all four have started: only concurrent execution passes.
        CountDownLatch four = new CountDownLatch(4);
        List<Rule.Step> steps = new ArrayList<>();
        for (String id : List.of("a", "b", "c", "d")) {
            steps.add(step(id, "metrics.gate", List.of(), null));
        }
        steps.add(step("e", "logs.after", List.of("a", "b"), null));
        steps.add(step("f", "logs.after", List.of("e", "c", "d"), null));
        try (Engine engine = new Engine(List.of(gate("metrics.gate", four, Duration.ofSeconds(10)),
                gate("logs.after", new CountDownLatch(0), Duration.ZERO)), 8, Duration.ofSeconds(20))) {
            Diagnosis d = engine.run(ALERT, List.of(rule(steps, List.of(
                    new Rule.FindingRule("x", "steps.a.value > 0.0 && steps.f.value > 0.0", "found", Confidence.HIGH, List.of("a", "f"))))),
                    Map.of());
            assertThat(d.evidence()).extracting(Evidence::status).containsOnly(Evidence.Status.OK);
            assertThat(d.evidence().get(5).values()).containsEntry("needs_seen", 3L);
            assertThat(d.rootCause().confidence()).as("metric + log: two kinds").isEqualTo(Confidence.HIGH);
        }
    }

    @Test
    void timedOutStepSkipsItsDependentsAndFindingsHaveNoData() {
        CountDownLatch never = new CountDownLatch(2); // only one step counts down: it waits until cut off
        List<Rule.Step> steps = List.of(step("slow", "metrics.gate", List.of(), Duration.ofMillis(300)),
                step("after", "logs.after", List.of("slow"), null));
        try (Engine engine = new Engine(List.of(gate("metrics.gate", never, Duration.ofSeconds(30)),
                gate("logs.after", new CountDownLatch(0), Duration.ZERO)), 2, Duration.ofSeconds(20))) {
            Diagnosis d = engine.run(ALERT, List.of(rule(steps, List.of(
                    new Rule.FindingRule("x", "steps.slow.value > 0.0", "found", Confidence.HIGH, List.of("slow"))))), Map.of());
            assertThat(d.evidence().get(0).status()).isEqualTo(Evidence.Status.TIMEOUT);
            assertThat(d.evidence().get(0).reason()).isEqualTo("step took longer than its timeout of 300ms");
            assertThat(d.evidence().get(1).status()).isEqualTo(Evidence.Status.SKIPPED);
            assertThat(d.evidence().get(1).reason()).isEqualTo("needs slow, which ended timeout");
            assertThat(d.findings().get(0).verdict()).isEqualTo(Verdict.NO_DATA);
            assertThat(d.rootCause()).isNull();
            assertThat(d.partial()).singleElement().asString().contains("timeout");
        }
    }

    @Test
    void highConfidenceWithOneEvidenceKindIsLowered() {
        List<Rule.Step> steps = List.of(step("a", "metrics.gate", List.of(), null));
        try (Engine engine = new Engine(List.of(gate("metrics.gate", new CountDownLatch(0), Duration.ZERO)), 1,
                Duration.ofSeconds(5))) {
            Diagnosis d = engine.run(ALERT, List.of(rule(steps, List.of(
                    new Rule.FindingRule("x", "steps.a.value > 0.0", "found", Confidence.HIGH, List.of("a"))))), Map.of());
            assertThat(d.rootCause().confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(d.rootCause().note()).contains("only metric evidence");
            assertThat(d.layers()).extracting(Diagnosis.LayerVerdict::layer).containsExactly(Layer.values());
            assertThat(d.layers()).filteredOn(l -> l.layer() == Layer.APPLICATION).singleElement().satisfies(l -> {
                assertThat(l.showed()).isEqualTo("cause found: found");
                assertThat(l.checks()).extracting(Diagnosis.Check::line).containsExactly("R: cause found: found");
            });
            assertThat(d.layers()).filteredOn(l -> l.layer() != Layer.APPLICATION)
                    .allSatisfy(l -> assertThat(l.showed()).isEqualTo("not checked: no rule of this layer matched the alert"));
        }
    }

    @Test
    void anotherRulesStepOfTheSameIdDoesNotLendItsEvidenceKind() {
        // rule "r" cites its metric step "a"; rule "other" has a log step also named "a". Only r's own
        // evidence counts for r's root cause: one kind (metric), so high is lowered to medium.
        List<Rule.Step> metricStep = List.of(step("a", "metrics.gate", List.of(), null));
        List<Rule.Step> logStep = List.of(step("a", "logs.gate", List.of(), null));
        Rule other = new Rule("other", "O", "o.yaml", Layer.APPLICATION, List.of(), false, Map.of(), logStep, List.of(), null);
        try (Engine engine = new Engine(List.of(gate("metrics.gate", new CountDownLatch(0), Duration.ZERO),
                gate("logs.gate", new CountDownLatch(0), Duration.ZERO)), 2, Duration.ofSeconds(5))) {
            Diagnosis d = engine.run(ALERT, List.of(rule(metricStep, List.of(
                    new Rule.FindingRule("x", "steps.a.value > 0.0", "found", Confidence.HIGH, List.of("a")))), other), Map.of());
            assertThat(d.evidence()).extracting(Evidence::kind).containsExactlyInAnyOrder("metric", "log");
            assertThat(d.rootCause().confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(d.rootCause().note()).contains("only metric evidence");
        }
    }
}
