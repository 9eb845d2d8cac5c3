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
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import dev.rootcause.rule.Rule;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each layer's line says what ran and what it showed, and "ruled out" only when the checks had data. */
class LayersTest {

    private static final Instant T = Instant.parse("2026-11-29T12:00:00Z");
    private static final AlertContext ALERT = new AlertContext("t", Map.of("service", "checkout"), Map.of(), T, T)
            .withReading(new AlertReading(List.of(new SymptomReading(Symptom.of("latency"), SymptomReading.From.EXPRESSION,
                    "histogram_quantile")), Target.NONE, null, null));

    private static final Rule DEPLOY = new Rule("http-5xx-after-deploy", "HTTP 5xx ratio rose after a deploy", "a.yaml",
            Layer.APPLICATION, List.of(), false, Map.of(), List.of(),
            List.of(new Rule.FindingRule("bad-deploy", "steps.deploy.found && steps.errors.after > 0.1", "bad deploy",
                    Confidence.HIGH, List.of("deploy", "errors"))), null);
    private static final Rule TCP = new Rule("tcp-retransmits", "TCP retransmissions rose on the node", "t.yaml",
            Layer.NETWORK, List.of(), false, Map.of(), List.of(),
            List.of(new Rule.FindingRule("retransmits", "steps.tcp.ratio > 3.0", "tcp", Confidence.MEDIUM, List.of("tcp"))), null);
    private static final Rule PHASES = new Rule("network-phases", "Probe latency grew in one phase", "n.yaml",
            Layer.NETWORK, List.of(), false, Map.of(), List.of(),
            List.of(new Rule.FindingRule("phase", "steps.phases.ratio > 3.0", "phase", Confidence.MEDIUM, List.of("phases"))), null);

    private static Evidence e(String step, Evidence.Status status, String reason, Map<String, Object> values) {
        return new Evidence(step, "metrics.compare", "metric", status == Evidence.Status.SKIPPED ? null : "prometheus", "q", T, T,
                status, reason, values, null);
    }

    private static List<Diagnosis.LayerVerdict> layers(List<Rule> rules, Map<String, Map<String, Evidence>> evidence,
            Map<Layer, String> unselected) {
        List<Finding> findings = rules.stream().flatMap(r -> Verdicts.evaluate(r, evidence.get(r.id()), Map.of(), ALERT).stream()).toList();
        return Layers.of(ALERT, rules, evidence, findings, List.of(), unselected);
    }

    private static Diagnosis.LayerVerdict layer(List<Diagnosis.LayerVerdict> all, Layer layer) {
        return all.stream().filter(l -> l.layer() == layer).findFirst().orElseThrow();
    }

    @Test
    void onlyNoRecentChangeIsNotTheApplicationLayerRuledOut() {
        Map<String, Evidence> steps = new LinkedHashMap<>();
        steps.put("deploy", e("deploy", Evidence.Status.OK, null, Map.of("found", false)));
        steps.put("errors", e("errors", Evidence.Status.SKIPPED, "step deploy found nothing to take a time from (no deploy)", Map.of()));
        var all = layers(List.of(DEPLOY), Map.of(DEPLOY.id(), steps), Map.of());

        var app = layer(all, Layer.APPLICATION);
        assertThat(app.showed()).isEqualTo("not ruled out: 1 of 1 check did not run in full (HTTP 5xx ratio rose after a deploy)");
        assertThat(app.checks()).extracting(Diagnosis.Check::line).containsExactly("HTTP 5xx ratio rose after a deploy: ruled out"
                + " from deploy alone; errors did not answer (errors skipped: step deploy found nothing to take a time from (no deploy))");
    }

    @Test
    void prometheusDownIsNotCheckedNeverRuledOut() {
        Map<String, Map<String, Evidence>> evidence = Map.of(
                TCP.id(), Map.of("tcp", e("tcp", Evidence.Status.ERROR, "connection refused", Map.of())),
                PHASES.id(), Map.of("phases", e("phases", Evidence.Status.TIMEOUT, "step took longer than its timeout of 3s", Map.of())));
        var network = layer(layers(List.of(TCP, PHASES), evidence, Map.of()), Layer.NETWORK);
        assertThat(network.showed()).isEqualTo("not checked: prometheus error: connection refused; "
                + "prometheus timeout: step took longer than its timeout of 3s");
        assertThat(network.checks()).extracting(Diagnosis.Check::showed)
                .containsExactly("not checked: prometheus error: connection refused",
                        "not checked: prometheus timeout: step took longer than its timeout of 3s");
    }

    @Test
    void ruledOutOnlyWhenEveryCheckHadDataAndRejectedItsCause() {
        Map<String, Map<String, Evidence>> evidence = Map.of(
                TCP.id(), Map.of("tcp", e("tcp", Evidence.Status.OK, null, Map.of("ratio", 1.0))),
                PHASES.id(), Map.of("phases", e("phases", Evidence.Status.OK, null, Map.of("ratio", 1.1))));
        assertThat(layer(layers(List.of(TCP, PHASES), evidence, Map.of()), Layer.NETWORK).showed()).isEqualTo("ruled out");

        Map<String, Map<String, Evidence>> oneEmpty = Map.of(
                TCP.id(), Map.of("tcp", e("tcp", Evidence.Status.OK, null, Map.of("ratio", 1.0))),
                PHASES.id(), Map.of("phases", e("phases", Evidence.Status.NO_DATA, "Prometheus returned no series", Map.of())));
        var network = layer(layers(List.of(TCP, PHASES), oneEmpty, Map.of()), Layer.NETWORK);
        assertThat(network.showed()).isEqualTo("not ruled out: 1 of 2 checks did not run in full (Probe latency grew in one phase)");
        assertThat(network.checks()).extracting(Diagnosis.Check::line).containsExactly(
                "TCP retransmissions rose on the node: ruled out",
                "Probe latency grew in one phase: no data: phases no_data: Prometheus returned no series");
    }

    @Test
    void everyLayerAppearsAndALayerNoRuleAppliedToSaysWhy() {
        Map<String, Map<String, Evidence>> evidence = Map.of(TCP.id(), Map.of("tcp", e("tcp", Evidence.Status.OK, null, Map.of("ratio", 9.0))));
        var all = layers(List.of(TCP), evidence, Map.of(Layer.STORAGE, "cache-hit-rate needs a service; the alert names none"));
        assertThat(all).extracting(Diagnosis.LayerVerdict::layer).containsExactly(Layer.values());
        assertThat(layer(all, Layer.NETWORK).showed()).isEqualTo("cause found: tcp");
        assertThat(layer(all, Layer.APPLICATION).showed()).isEqualTo("not checked: no rule of this layer explains latency");
        assertThat(layer(all, Layer.STORAGE).showed()).isEqualTo("not checked: cache-hit-rate needs a service; the alert names none");
        assertThat(layer(all, Layer.DEPENDENCY).notChecked()).isTrue();
    }

    @Test
    void stepsSkippedBecauseANeededStepHadNoDataSaySo() {
        Map<String, Evidence> steps = new LinkedHashMap<>();
        steps.put("tcp", e("tcp", Evidence.Status.SKIPPED, "needs node, which ended no_data", Map.of()));
        var network = layer(layers(List.of(TCP), Map.of(TCP.id(), steps), Map.of()), Layer.NETWORK);
        assertThat(network.showed()).isEqualTo("not checked: steps skipped because a step they need did not answer"
                + " (needs node, which ended no_data)");
    }
}
