package dev.rootcause.source.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.diagnosis.engine.Engine;
import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.e2e.PromBackfill;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.load.RuleParser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code cpu-throttling} rule against a real Prometheus holding two hours of cAdvisor-named
 * history (backfilled with promtool): its PromQL selects the service's container per pod (not the pause
 * container, not a sidecar), takes the worst pod, and the finding's onset is when throttling began.
 * Run under {@code flock /tmp/rootcause-stack.lock} like every test that starts Prometheus.
 */
class CpuThrottlingIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long NOW = Instant.now().getEpochSecond();
    /** checkout's pod a is throttled from here on, 5 min before its alert. */
    static final long ONSET = NOW - 25 * 60;
    static final Instant ALERT_START = Instant.ofEpochSecond(NOW - 20 * 60);

    static PromBackfill.PrivatePrometheus prometheus;

    @BeforeAll
    static void backfill() throws Exception {
        var b = new PromBackfill();
        double[] totals = new double[12];
        for (long t = NOW - 7200, i = 0; t <= NOW; t += 15, i++) {
            boolean after = t >= ONSET;
            // [pod, container, throttled periods/s, throttled seconds/s]; every container runs 10 CFS periods/s
            Object[][] containers = {
                    {"checkout-7d9f8-a1", "checkout", after ? 7.0 : 0.3, after ? 0.85 : 0.01},
                    {"checkout-7d9f8-b2", "checkout", 0.2, 0.005},
                    {"checkout-7d9f8-a1", "POD", 0.0, 0.0},
                    {"checkout-7d9f8-b2", "istio-proxy", 9.0, 1.5}, // a throttled sidecar is not the service
                    {"billing-55c6d-c3", "billing", 5.5, 0.6}, // throttled all along
                    {"billing-55c6d-c3", "POD", 0.0, 0.0},
            };
            for (int c = 0; c < containers.length; c++) {
                Object[] x = containers[c];
                Map<String, String> labels = Map.of("namespace", "shop", "pod", (String) x[0], "container", (String) x[1],
                        "image", "registry.example/" + x[1] + ":1", "name", "k8s_" + x[1] + "_" + x[0], "id", "/kubepods/" + x[0] + "/" + x[1]);
                if (i > 0) {
                    totals[2 * c] += 15 * (double) x[2];
                    totals[2 * c + 1] += 15 * (double) x[3];
                }
                b.sample("container_cpu_cfs_periods_total", labels, t, 10.0 * 15 * i);
                b.sample("container_cpu_cfs_throttled_periods_total", labels, t, totals[2 * c]);
                b.sample("container_cpu_cfs_throttled_seconds_total", labels, t, totals[2 * c + 1]);
            }
        }
        Path dir = Path.of("target/cpu-throttling-it").toAbsolutePath();
        prometheus = PromBackfill.startPrometheus(b.writeBlocks(dir), dir.resolve("prometheus"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void throttlingThatBeganWithTheSymptomIsTheCauseAndDatedWhenItBegan() throws Exception {
        Diagnosis d = diagnose("checkout");

        assertThat(d.rootCause()).as("%s", d.findings()).isNotNull();
        assertThat(d.rootCause().finding()).isEqualTo("cpu-throttled");
        // pod a: 7 of 10 periods throttled; the sidecar's 90 % is not the service's
        assertThat(d.rootCause().summary()).contains("checkout (container checkout) is CPU-throttled: 70% of its CFS periods")
                .contains("losing 0.85 s of CPU time per second");
        Finding f = d.findings().get(0);
        // the first sample past halfway; rate()'s 1 m window makes it trail the real start by under a minute
        assertThat(f.onset()).isBetween(Instant.ofEpochSecond(ONSET), Instant.ofEpochSecond(ONSET + 90));
    }

    @Test
    void throttlingAsHighBeforeTheAlertRulesOut() throws Exception {
        Diagnosis d = diagnose("billing");

        assertThat(d.rootCause()).isNull();
        assertThat(d.findings()).singleElement().satisfies(f -> {
            assertThat(f.verdict()).isEqualTo(Verdict.RULES_OUT);
            assertThat(f.reason()).contains("steps.throttled.after > 2.0 * steps.throttled.before");
        });
        var throttled = d.evidence().stream().filter(e -> e.step().equals("throttled")).findFirst().orElseThrow();
        assertThat((double) throttled.values().get("before")).isCloseTo(0.55, org.assertj.core.api.Assertions.within(0.01));
        assertThat((double) throttled.values().get("after")).isCloseTo(0.55, org.assertj.core.api.Assertions.within(0.01));
    }

    private Diagnosis diagnose(String service) throws Exception {
        MetricsSource metrics = new HttpMetrics(prometheus.url());
        List<StepRunner> runners = List.of(new MetricsCompareStep(metrics));
        Rule rule = RuleParser.parseFile(Path.of("rules/cpu-throttling.yaml"), "cpu-throttling.yaml", new RegisteredStepTypes(runners),
                Set.of("rate_window"));
        AlertContext alert = new AlertContext("CPU throttled", Map.of("alertname", "CPUThrottlingHigh", "service", service),
                Map.of(), ALERT_START, Instant.ofEpochSecond(NOW));
        try (Engine engine = new Engine(runners, 2, Duration.ofSeconds(20))) {
            return engine.run(alert, List.of(rule), Map.of("rate_window", "1m"));
        }
    }

    /** Range queries over plain HTTP, answers parsed as the service's Prometheus source parses them. */
    record HttpMetrics(String base) implements MetricsSource {

        static final HttpClient HTTP = HttpClient.newHttpClient();

        @Override
        public String render(String template, Map<String, String> vars) throws MetricsSourceException {
            return PromQl.render(template, vars);
        }

        @Override
        public Result range(String query, Instant start, Instant end, Duration step) throws MetricsSourceException {
            String url = base + "/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&start="
                    + start.getEpochSecond() + "&end=" + end.getEpochSecond() + "&step=" + Math.max(1, step.toSeconds());
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode body = JSON.readTree(r.body());
                return new Result(PrometheusMetricsSource.series(body), step, PrometheusMetricsSource.warnings(body));
            } catch (java.io.IOException e) {
                throw new MetricsSourceException(dev.rootcause.diagnosis.Evidence.Status.ERROR, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MetricsSourceException(dev.rootcause.diagnosis.Evidence.Status.ERROR, "interrupted");
            }
        }

        @Override
        public Result instant(String query, Instant at) {
            throw new UnsupportedOperationException("the rule asks ranges only");
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
    }
}
