package dev.rootcause.diagnosis.step.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.rule.Rule;
import dev.rootcause.ruletest.replay.ReplayMetricsSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** metrics.compare_by on a raw query: names the one dependency that rose, and declines when several rose together. */
class MetricsCompareByStepTest {

    static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");
    static final AlertContext ALERT = new AlertContext("t", Map.of(), Map.of(), AT, AT.plusSeconds(600));

    /** One series per dependency: (before, after) levels, a point a minute, ±3 % wobble. */
    static MetricsSource answering(Map<String, double[]> levels) {
        return new MetricsSource() {
            private final ReplayMetricsSource escaping = new ReplayMetricsSource();

            public String render(String template, Map<String, String> vars) throws MetricsSourceException {
                return escaping.render(template, vars);
            }

            public Result range(String query, Instant start, Instant end, Duration step) {
                List<Series> out = new ArrayList<>();
                levels.forEach((name, l) -> {
                    List<Instant> times = new ArrayList<>();
                    List<Double> values = new ArrayList<>();
                    int i = 0;
                    for (Instant t = start; !t.isAfter(end); t = t.plusSeconds(60), i++) {
                        times.add(t);
                        values.add((t.isBefore(AT) ? l[0] : l[1]) * (1 + 0.03 * ((i % 3) - 1)));
                    }
                    out.add(new Series(Map.of("peer", name), times, values.stream().mapToDouble(Double::doubleValue).toArray()));
                });
                return new Result(out, step, List.of());
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
                return "prometheus";
            }
        };
    }

    static Evidence run(Map<String, double[]> levels) {
        Map<String, Object> with = Map.of("query", "sum by (peer) (rate(errors{service=\"$service\"}[1m]))", "by", "peer",
                "min_ratio", 3, "min_after", 0.01);
        MetricsCompareByStep step = new MetricsCompareByStep(answering(levels), null);
        step.check(with);
        return step.run(new Rule.Step("client_errors", "metrics.compare_by", List.of(), with, null), ALERT,
                Map.of("service", "checkout"), Map.of());
    }

    @Test
    void theOneDependencyThatRoseIsNamed() {
        Map<String, double[]> levels = new LinkedHashMap<>();
        levels.put("auth", new double[] {0.001, 0.0012});
        levels.put("payments", new double[] {0.002, 0.3});
        Evidence e = run(levels);
        assertThat(e.status()).isEqualTo(Evidence.Status.OK);
        assertThat(e.query()).isEqualTo("sum by (peer) (rate(errors{service=\"checkout\"}[1m]))");
        assertThat(e.values()).containsEntry("found", true).containsEntry("top", "payments").containsEntry("runner_up", "auth")
                .containsEntry("rose", 1).containsEntry("series", 2).containsEntry("by", "peer").containsEntry("convention", "");
        assertThat((Double) e.values().get("top_after")).isBetween(0.29, 0.31);
        assertThat((String) e.values().get("summary")).startsWith("payments rose from 0.00200 to 0.299; the next, auth, moved +");
    }

    @Test
    void severalRisingTogetherNameNone() {
        Map<String, double[]> levels = new LinkedHashMap<>();
        levels.put("auth", new double[] {0.001, 0.2});
        levels.put("payments", new double[] {0.002, 0.25});
        Evidence e = run(levels);
        assertThat(e.values()).containsEntry("found", false).containsEntry("rose", 2);
        assertThat((String) e.values().get("summary")).isEqualTo("no single dependency: payments, auth rose together (within 2.00× of each other)");
    }

    @Test
    void aRiseUnderTheFloorIsNotARise() {
        Evidence e = run(Map.of("payments", new double[] {0.001, 0.005}));
        assertThat(e.values()).containsEntry("found", false).containsEntry("rose", 0).containsEntry("top", "payments");
        assertThat((String) e.values().get("summary")).startsWith("none of 1 dependencies rose past the thresholds");
    }

    @Test
    void aRawQueryNeedsItsByAndASignalMustNotHaveOne() {
        MetricsCompareByStep step = new MetricsCompareByStep(answering(Map.of()), null);
        assertThatThrownBy(() -> step.check(Map.of("query", "x"))).hasMessageStartingWith("by: required with query:");
        assertThatThrownBy(() -> step.check(Map.of("query", "x", "by", "peer", "min_ratio", 0.5)))
                .hasMessageStartingWith("min_ratio: expected a number from 1.0");
        assertThatThrownBy(() -> step.check(Map.of("signal", "http.client_error_ratio")))
                .hasMessage("signal: no metric conventions here; use query:");
    }
}
