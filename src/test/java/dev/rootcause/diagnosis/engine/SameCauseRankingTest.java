package dev.rootcause.diagnosis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two supported findings of different rules that name one cause (the same cause text, or the same target in the same
 * layer) count as one cause: the better-supported leads, the other agrees and its evidence kinds count with it; they
 * are never weighed against each other as rivals.
 */
class SameCauseRankingTest {

    private static final Instant ALERT = Instant.parse("2026-11-29T12:00:00Z");
    private static final Ranking RANKING = new Ranking(Ranking.Policy.DEFAULT);

    private static Finding finding(String rule, String id, Layer layer, String cause, Confidence confidence, List<String> cites) {
        return new Finding(rule, id, Verdict.SUPPORTS, layer, cause, confidence, cites, null, ALERT.minus(Duration.ofMinutes(3)),
                null, null);
    }

    private static Evidence walk(String blamed, String agreeingKinds) {
        return new Evidence("walk", "graph.walk", "metric", "prometheus", null, ALERT.minus(Duration.ofHours(1)), ALERT, Evidence.Status.OK,
                null, Map.of("found", true, "blamed", blamed, "agreeing_kinds", agreeingKinds), null);
    }

    private static Evidence metric(String step) {
        return new Evidence(step, "metrics.compare_by", "metric", "prometheus", "q", ALERT.minus(Duration.ofHours(1)), ALERT,
                Evidence.Status.OK, null, Map.of("found", true), null);
    }

    /** The latency walk (metric + traces) and the error walk (metric) both end at payment. */
    private static final Finding SLOW = finding("latency-slow-dependency", "slow-dependency", Layer.DEPENDENCY,
            "payment slowed on its own: p99 0.2 s → 1.9 s", Confidence.HIGH, List.of("walk", "latency"));
    private static final Finding FAILING = finding("downstream-errors", "failing-dependency", Layer.DEPENDENCY,
            "payment began failing on its own: 0.1% → 9%", Confidence.HIGH, List.of("walk", "client_errors"));
    private static final Map<String, Map<String, Evidence>> STEPS = Map.of(
            "latency-slow-dependency", Map.of("walk", walk("payment", "metric,trace"), "latency", metric("latency")),
            "downstream-errors", Map.of("walk", walk("payment", ""), "client_errors", metric("client_errors")));

    private static SameCause identity(Finding f) {
        return SameCause.of(f, STEPS.getOrDefault(f.rule(), Map.of()));
    }

    @Test
    void twoWalksEndingAtOneComponentAreOneCauseNotRivals() {
        Ranking.Result r = RANKING.rank(List.of(FAILING, SLOW), ALERT, SameCauseRankingTest::identity);

        assertThat(r.rootCause()).as("same confidence: more evidence kinds (metric + trace) lead").isSameAs(SLOW);
        assertThat(r.ranked().get(0)).isSameAs(SLOW);
        assertThat(r.agreeing()).containsExactly(FAILING);
        assertThat(r.notes()).singleElement().asString()
                .isEqualTo("agrees: downstream-errors/failing-dependency names the same cause as latency-slow-dependency/slow-dependency"
                        + " (both blame component payment in the dependency layer): one cause, not a rival; its metric evidence counts with it")
                .doesNotContain("preferred");
    }

    @Test
    void theHigherDeclaredConfidenceLeadsBeforeMoreKinds() {
        Finding lowSlow = finding("latency-slow-dependency", "slow-dependency", Layer.DEPENDENCY, SLOW.cause(), Confidence.LOW,
                SLOW.cites());
        Ranking.Result r = RANKING.rank(List.of(lowSlow, FAILING), ALERT, SameCauseRankingTest::identity);

        assertThat(r.rootCause()).isSameAs(FAILING);
        assertThat(r.agreeing()).containsExactly(lowSlow);
    }

    @Test
    void theSameCauseTextInAnyLayerIsOneCause() {
        Finding a = finding("rule-a", "x", Layer.APPLICATION, "Deploy 1.4.2 of checkout raised the 5xx ratio", Confidence.MEDIUM, List.of("s"));
        Finding b = finding("rule-b", "y", Layer.DEPENDENCY, "deploy 1.4.2 of  checkout raised the 5xx ratio ", Confidence.MEDIUM, List.of("s"));

        Ranking.Result r = RANKING.rank(List.of(a, b), ALERT);

        assertThat(r.rootCause()).isSameAs(a);
        assertThat(r.notes()).singleElement().asString().startsWith("agrees: rule-b/y names the same cause as rule-a/x (the same cause text)");
    }

    @Test
    void oneTargetInTwoLayersOrTwoTargetsAreStillWeighed() {
        Finding elsewhere = finding("downstream-errors", "failing-dependency", Layer.APPLICATION, FAILING.cause(), Confidence.HIGH,
                FAILING.cites());
        Ranking.Result layers = RANKING.rank(List.of(SLOW, elsewhere), ALERT, SameCauseRankingTest::identity);
        assertThat(layers.agreeing()).isEmpty();
        assertThat(layers.notes()).singleElement().asString().startsWith("preferred latency-slow-dependency/slow-dependency over");

        Map<String, Map<String, Evidence>> other = Map.of("downstream-errors", Map.of("walk", walk("auth", ""), "client_errors",
                metric("client_errors")), "latency-slow-dependency", STEPS.get("latency-slow-dependency"));
        Ranking.Result targets = RANKING.rank(List.of(SLOW, FAILING), ALERT, f -> SameCause.of(f, other.get(f.rule())));
        assertThat(targets.agreeing()).isEmpty();
        assertThat(targets.notes()).singleElement().asString().startsWith("preferred latency-slow-dependency/slow-dependency over");
    }

    @Test
    void aChangeEventIsATargetAndEvidenceThatFailedNamesNone() {
        Evidence change = new Evidence("deploy", "changes.latest", "change", "api", null, null, null, Evidence.Status.OK, null,
                Map.of("found", true, "id", "42"), null);
        Evidence failed = new Evidence("walk", "graph.walk", "metric", "prometheus", null, null, null, Evidence.Status.ERROR, "down",
                Map.of("found", true, "blamed", "payment"), null);
        Finding f = finding("r", "f", Layer.APPLICATION, "c", Confidence.HIGH, List.of("deploy", "walk"));

        SameCause c = SameCause.of(f, Map.of("deploy", change, "walk", failed));
        assertThat(c.target()).isEqualTo("change 42");
        assertThat(c.kinds()).containsExactly("change");
    }

    @Test
    void anAgreeingFindingsKindsKeepAHighRootCauseHigh() {
        Finding root = finding("r", "f", Layer.DEPENDENCY, "c", Confidence.HIGH, List.of("client_errors"));
        List<Evidence> own = List.of(metric("client_errors"));

        RootCause alone = Verdicts.rootCause(root, own, null);
        RootCause agreed = Verdicts.rootCause(root, own, null, Set.of("trace"));

        assertThat(alone.confidence()).isEqualTo(Confidence.MEDIUM);
        assertThat(agreed.confidence()).isEqualTo(Confidence.HIGH);
        assertThat(agreed.note()).isNull();
        // the kinds it was weighed on travel with it, so the report's label says "metric + trace", not "metric"
        assertThat(alone.kinds()).containsExactly("metric");
        assertThat(agreed.kinds()).containsExactly("metric", "trace");
    }
}
