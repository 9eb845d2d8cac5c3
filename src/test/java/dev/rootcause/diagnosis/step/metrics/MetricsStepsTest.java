package dev.rootcause.diagnosis.step.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.rule.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** metrics.compare's noise and anchoring on another step's time; metrics.range's summary. */
class MetricsStepsTest {

    static final Instant DEPLOY = Instant.parse("2026-03-01T10:00:00Z");
    static final AlertContext ALERT = new AlertContext("t", Map.of("service", "checkout"), Map.of(), DEPLOY.plusSeconds(900),
            DEPLOY.plusSeconds(1200));

    /** Answers every range query with one series: a minute apart, {@code before} until the deploy, {@code after} from it. */
    record FakeMetrics(double[] before, double after, List<Instant[]> asked) implements MetricsSource {
        public String render(String template, Map<String, String> vars) {
            return template;
        }

        public Result range(String query, Instant start, Instant end, Duration step) {
            asked.add(new Instant[] {start, end});
            List<Instant> times = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            int i = 0;
            for (Instant t = start; !t.isAfter(end); t = t.plusSeconds(60)) {
                times.add(t);
                values.add(t.isBefore(DEPLOY) ? before[i++ % before.length] : after);
            }
            return new Result(List.of(new Series(Map.of(), times, values.stream().mapToDouble(Double::doubleValue).toArray())), step,
                    List.of("info: metric might not be a counter"));
        }

        public Result instant(String query, Instant at) {
            throw new UnsupportedOperationException();
        }

        public List<String> labelValues(String label, List<String> match, Instant start, Instant end) {
            throw new UnsupportedOperationException();
        }

        public String link(String query, Instant start, Instant end) {
            return null;
        }

        public String name() {
            return "fake";
        }
    }

    static Evidence deploy(String time) {
        return new Evidence("deploy", "changes.latest", "change", "api", null, null, null, Evidence.Status.OK, null,
                Map.of("found", !time.isEmpty(), "time", time), null);
    }

    static Rule.Step step(String type, Map<String, Object> with) {
        return new Rule.Step("s", type, List.of("deploy"), with, null);
    }

    @Test
    void changeWithinTheSeriesOwnNoiseDoesNotCount() {
        // before wobbles 0.8..1.2 (σ ≈ 0.16); after 1.3 is within 3σ, after 2.0 is not
        double[] noisy = {0.8, 1.0, 1.2, 1.0};
        Map<String, Object> with = Map.of("query", "q", "at", "steps.deploy.time", "before", "30m", "after", "10m");
        Evidence small = new MetricsCompareStep(new FakeMetrics(noisy, 1.3, new ArrayList<>()))
                .run(step("metrics.compare", with), ALERT, Map.of(), Map.of("deploy", deploy(DEPLOY.toString())));
        assertThat(small.values().get("exceeds_noise")).isEqualTo(false);
        assertThat((Double) small.values().get("noise")).isBetween(0.14, 0.15);
        Evidence big = new MetricsCompareStep(new FakeMetrics(noisy, 2.0, new ArrayList<>()))
                .run(step("metrics.compare", with), ALERT, Map.of(), Map.of("deploy", deploy(DEPLOY.toString())));
        assertThat(big.values().get("exceeds_noise")).isEqualTo(true);
        assertThat(big.values().get("warnings")).isEqualTo("info: metric might not be a counter");
    }

    @Test
    void compareIsAnchoredAtTheDeployAndSkippedWithoutOne() {
        List<Instant[]> asked = new ArrayList<>();
        MetricsCompareStep compare = new MetricsCompareStep(new FakeMetrics(new double[] {1}, 5, asked));
        Map<String, Object> with = Map.of("query", "q", "at", "steps.deploy.time", "before", "30m", "after", "10m");
        Evidence e = compare.run(step("metrics.compare", with), ALERT, Map.of(), Map.of("deploy", deploy(DEPLOY.toString())));
        assertThat(e.status()).isEqualTo(Evidence.Status.OK);
        assertThat(asked.get(0)).containsExactly(DEPLOY.minusSeconds(1800), DEPLOY.plusSeconds(600));
        Evidence none = compare.run(step("metrics.compare", with), ALERT, Map.of(), Map.of("deploy", deploy("")));
        assertThat(none.status()).isEqualTo(Evidence.Status.SKIPPED);
        Evidence notNeeded = compare.run(step("metrics.compare", with), ALERT, Map.of(), Map.of());
        assertThat(notNeeded.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(notNeeded.reason()).contains("does not list in needs");
    }

    @Test
    void rangeSummarisesTheWindowEndingAtItsInstant() {
        List<Instant[]> asked = new ArrayList<>();
        MetricsRangeStep range = new MetricsRangeStep(new FakeMetrics(new double[] {1, 3}, 7, asked));
        Evidence e = range.run(step("metrics.range", Map.of("query", "q", "at", "steps.deploy.time", "window", "1h")), ALERT,
                Map.of(), Map.of("deploy", deploy(DEPLOY.plusSeconds(300).toString())));
        assertThat(asked.get(0)).containsExactly(DEPLOY.minusSeconds(3300), DEPLOY.plusSeconds(300));
        assertThat(e.values()).containsEntry("min", 1.0).containsEntry("max", 7.0).containsEntry("last", 7.0)
                .containsEntry("points", 61);
        assertThat(e.recorded()).hasSize(1);
    }
}
