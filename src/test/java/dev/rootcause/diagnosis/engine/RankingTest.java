package dev.rootcause.diagnosis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How confounding findings are weighed: timing against the alert's start, scope, then confidence. */
class RankingTest {

    private static final Instant ALERT = Instant.parse("2026-11-29T12:00:00Z");
    private static final Ranking RANKING = new Ranking(Ranking.Policy.DEFAULT);

    private static Finding supported(String rule, String id, Layer layer, Confidence confidence, Instant onset, String scope,
            String scopeDetail) {
        return new Finding(rule, id, Verdict.SUPPORTS, layer, id + " cause", confidence, List.of("s"), null, onset, scope, scopeDetail);
    }

    private static Finding deploy(Instant onset, Confidence confidence) {
        return supported("http-5xx-after-deploy", "bad-deploy", Layer.APPLICATION, confidence, onset, null, null);
    }

    private static Finding dependencyDown() {
        return supported("dependency-health", "dependency-down", Layer.DEPENDENCY, Confidence.MEDIUM, null, null, null);
    }

    @Test
    void aDeployDaysBeforeTheSymptomIsNotBlamedEvenAtHigherConfidence() {
        Ranking.Result r = RANKING.rank(List.of(deploy(ALERT.minus(Duration.ofDays(3)), Confidence.HIGH), dependencyDown()), ALERT);

        assertThat(r.rootCause().name()).isEqualTo("dependency-health/dependency-down");
        assertThat(r.ranked().get(0).name()).isEqualTo("dependency-health/dependency-down");
        assertThat(r.notes()).singleElement().asString()
                .startsWith("not blamed: http-5xx-after-deploy/bad-deploy began 3 days before the alert (2026-11-26T12:00:00Z)")
                .contains("more than 24 h before the symptom");
    }

    @Test
    void aDeployMinutesBeforeTheAlertIsPreferredOverOneDaysBefore() {
        Finding recent = supported("config-change", "flag-flip", Layer.APPLICATION, Confidence.MEDIUM, ALERT.minus(Duration.ofMinutes(4)), null, null);
        Ranking.Result r = RANKING.rank(List.of(deploy(ALERT.minus(Duration.ofDays(3)), Confidence.HIGH), recent), ALERT);

        assertThat(r.rootCause()).isSameAs(recent);
        assertThat(r.notes()).singleElement().asString().contains("began 3 days before the alert")
                .contains("config-change/flag-flip began 4 min before the alert");
    }

    @Test
    void aStaleFindingAloneLeavesNoRootCauseButANote() {
        Ranking.Result r = RANKING.rank(List.of(deploy(ALERT.minus(Duration.ofDays(2)), Confidence.HIGH)), ALERT);

        assertThat(r.rootCause()).isNull();
        assertThat(r.notBlamed()).extracting(Finding::id).containsExactly("bad-deploy");
        assertThat(r.notes()).singleElement().asString().startsWith("not blamed: http-5xx-after-deploy/bad-deploy began 2 days");
    }

    @Test
    void allDownstreamsSlowTogetherYieldToTheServicesOwnSaturation() {
        Finding allSlow = supported("latency-slow-dependency", "no-single-dependency", Layer.DEPENDENCY, Confidence.HIGH, null,
                Finding.SCOPE_SEVERAL, "all 3 downstreams slowed together per request: auth (+40.0 ms), config (+38.0 ms), payment (+41.0 ms)");
        Finding throttled = supported("cpu-throttling", "cpu-throttled", Layer.APPLICATION, Confidence.LOW, ALERT.minus(Duration.ofMinutes(6)), null, null);

        Ranking.Result r = RANKING.rank(List.of(allSlow, throttled), ALERT);

        // scope outranks the declared confidence: high on the dependency side, low on the service's own
        assertThat(r.rootCause()).isSameAs(throttled);
        assertThat(r.notes()).singleElement().asString().isEqualTo("preferred cpu-throttling/cpu-throttled over "
                + "latency-slow-dependency/no-single-dependency: all 3 downstreams slowed together per request: auth (+40.0 ms), "
                + "config (+38.0 ms), payment (+41.0 ms): that points at the service itself (cpu-throttling/cpu-throttled), "
                + "not at a downstream; cpu-throttling/cpu-throttled began 6 min before the alert (2026-11-29T11:54:00Z)");
    }

    @Test
    void oneSlowDownstreamIsNotDemotedByScope() {
        Finding one = supported("latency-slow-dependency", "slow-dependency", Layer.DEPENDENCY, Confidence.HIGH, null, Finding.SCOPE_ONE, "one downstream: payment");
        Finding throttled = supported("cpu-throttling", "cpu-throttled", Layer.APPLICATION, Confidence.MEDIUM, ALERT.minus(Duration.ofMinutes(6)), null, null);

        Ranking.Result r = RANKING.rank(List.of(throttled, one), ALERT);

        assertThat(r.rootCause()).isSameAs(one);
        assertThat(r.notes()).singleElement().asString().contains("its confidence is high against medium");
    }

    @Test
    void aCauseThatBeganWellAfterTheAlertIsDoubtedAsAConsequence() {
        Finding late = supported("pod-restarts", "crash-loop", Layer.APPLICATION, Confidence.HIGH, ALERT.plus(Duration.ofMinutes(25)), null, null);
        Finding early = supported("cpu-throttling", "cpu-throttled", Layer.APPLICATION, Confidence.MEDIUM, ALERT.minus(Duration.ofMinutes(2)), null, null);

        Ranking.Result r = RANKING.rank(List.of(late, early), ALERT);

        assertThat(r.rootCause()).isSameAs(early);
        assertThat(r.notes()).singleElement().asString()
                .contains("pod-restarts/crash-loop began 25 min after the alert started").contains("more likely a consequence than the cause");
    }

    @Test
    void atEqualConfidenceTheEarlierOnsetWins() {
        Finding first = deploy(ALERT.minus(Duration.ofMinutes(12)), Confidence.MEDIUM);
        Finding second = supported("cpu-throttling", "cpu-throttled", Layer.APPLICATION, Confidence.MEDIUM, ALERT.minus(Duration.ofMinutes(3)), null, null);

        Ranking.Result r = RANKING.rank(List.of(second, first), ALERT);

        assertThat(r.rootCause()).isSameAs(first);
        assertThat(r.notes()).singleElement().asString().contains("began 12 min before the alert").contains("the earlier one");
    }

    @Test
    void verdictOrderStaysSupportedThenRuledOutThenNoData() {
        Finding out = new Finding("r", "out", Verdict.RULES_OUT, Layer.APPLICATION, "c", Confidence.HIGH, List.of(), "no");
        Finding none = new Finding("r", "none", Verdict.NO_DATA, Layer.APPLICATION, null, Confidence.HIGH, List.of(), "missing");
        Finding yes = supported("r", "yes", Layer.APPLICATION, Confidence.LOW, null, null, null);

        Ranking.Result r = RANKING.rank(List.of(none, out, yes), ALERT);

        assertThat(r.ranked()).containsExactly(yes, out, none);
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void theLimitsAreConfigurable() {
        Ranking strict = new Ranking(new Ranking.Policy(Duration.ofHours(1), Duration.ofMinutes(1)));
        Ranking.Result r = strict.rank(List.of(deploy(ALERT.minus(Duration.ofHours(2)), Confidence.HIGH), dependencyDown()), ALERT);

        assertThat(r.rootCause().name()).isEqualTo("dependency-health/dependency-down");
        assertThat(r.notes().get(0)).contains("began 2 h before the alert").contains("more than 60 min before the symptom");
    }

    @Test
    void spansReadAsPeopleSayThem() {
        assertThat(dev.rootcause.rule.Durations.span(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(dev.rootcause.rule.Durations.span(Duration.ofMinutes(4))).isEqualTo("4 min");
        assertThat(dev.rootcause.rule.Durations.span(Duration.ofHours(5))).isEqualTo("5 h");
        assertThat(dev.rootcause.rule.Durations.span(Duration.ofDays(3).plusHours(2))).isEqualTo("3 days");
    }

    @Test
    void aFindingTakesTheEarliestOnsetOfItsCitedEvidenceThatEndedOk() {
        Instant deployed = ALERT.minus(Duration.ofMinutes(20));
        Map<String, Evidence> evidence = Map.of(
                "deploy", new Evidence("deploy", "changes.latest", "change", "api", "q", null, null, Evidence.Status.OK, null,
                        Map.of("onset", deployed.toString()), null),
                "errors", new Evidence("errors", "metrics.compare", "metric", "prometheus", "q", null, null, Evidence.Status.OK, null,
                        Map.of("onset", ALERT.minus(Duration.ofMinutes(18)).toString()), null),
                "old", new Evidence("old", "metrics.compare", "metric", "prometheus", "q", null, null, Evidence.Status.NO_DATA, "none",
                        Map.of("onset", ALERT.minus(Duration.ofDays(9)).toString()), null));

        assertThat(Verdicts.onset(List.of("errors", "deploy", "old"), evidence)).isEqualTo(deployed);
        assertThat(Verdicts.onset(List.of("old"), evidence)).isNull();
    }

    @Test
    void aMetricsOnsetIsTheFirstSampleOfItsNewLevelEvenBeforeTheAlert() {
        // one sample a minute from 12:00-10 min; the level jumps at 11:54 (6 min before the alert), a dip at 11:52
        List<Instant> times = new java.util.ArrayList<>();
        double[] values = new double[20];
        for (int i = 0; i < 20; i++) {
            times.add(ALERT.minus(Duration.ofMinutes(10 - i)));
            values[i] = i >= 4 ? 0.6 : i == 2 ? 0.9 : 0.05;
        }
        values[7] = Double.NaN; // a gap in the new level does not end it
        MetricsSource.Series s = new MetricsSource.Series(Map.of(), times, values);

        assertThat(MetricsCompareStep.onset(s, ALERT, 0.1, 0.6)).isEqualTo(ALERT.minus(Duration.ofMinutes(6)));
        assertThat(MetricsCompareStep.onset(s, ALERT, 0.6, 0.6)).isNull();
        // no sample after the alert reaches the halfway level
        assertThat(MetricsCompareStep.onset(s, ALERT, 0.6, 1.4)).isNull();
        // a fall to 0.6 from 0.9: the run below 0.75 reaches back over the quiet samples before the alert
        assertThat(MetricsCompareStep.onset(s, ALERT, 0.9, 0.6)).isEqualTo(ALERT.minus(Duration.ofMinutes(7)));
    }
}
