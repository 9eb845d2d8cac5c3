package dev.rootcause.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.engine.Engine;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Layer;
import dev.rootcause.rule.Rule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * Diagnosis wall time against its critical path: a backend (WireMock) answering every query in 200 ms,
 * rules of known shape, 15 timed runs each after 5 warm-up runs (with 1, the JIT still showed in the
 * fan-out). Run with bench/critical-path.sh; prints one line per
 * shape.
 */
public final class CriticalPathBench {

    static final int DELAY_MS = 200;

    public static void main(String[] args) throws Exception {
        WireMockServer backend = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(64));
        backend.start();
        backend.stubFor(post(urlEqualTo("/api/v1/query_range")).willReturn(okJson(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":"
                        + "[[1767261000,\"1\"],[1767261700,\"2\"]]}]}}").withFixedDelay(DELAY_MS)));
        MetricsSource source = new HttpMetricsSource("http://127.0.0.1:" + backend.port());
        AlertContext alert = new AlertContext("bench", Map.of(), Map.of(), Instant.parse("2026-01-01T10:00:00Z"),
                Instant.parse("2026-01-01T10:30:00Z"));
        try (Engine engine = new Engine(List.of(new MetricsCompareStep(source)), 8, Duration.ofSeconds(30))) {
            System.out.printf("machine: %d cores; backend delay %d ms per query; engine pool 8%n",
                    Runtime.getRuntime().availableProcessors(), DELAY_MS);
            measure(engine, alert, "chain of 3", rule(Map.of("a", List.of(), "b", List.of("a"), "c", List.of("b"))), 3);
            measure(engine, alert, "fan-out of 6", rule(Map.of("a", List.of(), "b", List.of(), "c", List.of(), "d", List.of(),
                    "e", List.of(), "f", List.of())), 1);
            measure(engine, alert, "6 steps, 4 independent", rule(Map.of("a", List.of(), "b", List.of(), "c", List.of(),
                    "d", List.of(), "e", List.of("a"), "f", List.of("e", "b"))), 3);
            parallel(engine, alert, rule(Map.of("a", List.of(), "b", List.of(), "c", List.of(), "d", List.of(),
                    "e", List.of("a"), "f", List.of("e", "b"))), 3, 20);
            // Where the fan-out's time over 200 ms goes: the backend and HTTP client alone (no engine),
            // and the engine alone (a source that waits 200 ms in-process, no HTTP).
            rawFanOut((HttpMetricsSource) source, 6);
        }
        try (Engine engine = new Engine(List.of(new MetricsCompareStep(new SleepingSource())), 8, Duration.ofSeconds(30))) {
            measure(engine, alert, "fan-out of 6, no HTTP", rule(Map.of("a", List.of(), "b", List.of(), "c", List.of(),
                    "d", List.of(), "e", List.of(), "f", List.of())), 1);
            measure(engine, alert, "chain of 3, no HTTP", rule(Map.of("a", List.of(), "b", List.of("a"), "c", List.of("b"))), 3);
        } finally {
            backend.stop();
        }
    }

    private static void measure(Engine engine, AlertContext alert, String name, Rule rule, int pathLength) {
        for (int i = 0; i < 5; i++) {
            engine.run(alert, List.of(rule), Map.of()); // warm-up: JIT and the HTTP client's connections
        }
        int runs = 15;
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Diagnosis d = engine.run(alert, List.of(rule), Map.of());
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (d.evidence().stream().anyMatch(e -> !e.ok())) {
                throw new IllegalStateException("a step failed: " + d.evidence());
            }
        }
        Arrays.sort(ms);
        double critical = pathLength * DELAY_MS;
        System.out.printf("%-24s steps=%d critical_path_ms=%.0f sum_ms=%d median_ms=%.0f max_ms=%.0f ratio=%.2f%n", name,
                rule.steps().size(), critical, rule.steps().size() * DELAY_MS, ms[runs / 2], ms[runs - 1], ms[runs / 2] / critical);
    }

    /** n concurrent queries straight through the HTTP client from n threads, timed like a diagnosis. */
    private static void rawFanOut(HttpMetricsSource source, int n) throws Exception {
        var pool = Executors.newFixedThreadPool(n);
        Instant from = Instant.parse("2026-01-01T10:00:00Z");
        int runs = 11;
        double[] ms = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(CompletableFuture.runAsync(() -> {
                    try {
                        source.range("q", from, from.plusSeconds(3600), Duration.ofMinutes(1));
                    } catch (MetricsSourceException e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            all.forEach(CompletableFuture::join);
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        pool.shutdown();
        Arrays.sort(ms);
        System.out.printf("%-24s requests=%d critical_path_ms=%d median_ms=%.0f max_ms=%.0f ratio=%.2f%n", "6 raw HTTP, no engine", n,
                DELAY_MS, ms[runs / 2], ms[runs - 1], ms[runs / 2] / DELAY_MS);
    }

    /** Answers every range query after {@link #DELAY_MS} in the calling thread: the engine's own overhead. */
    private static final class SleepingSource extends HttpMetricsSource {
        SleepingSource() {
            super("unused");
        }

        @Override
        public Result range(String query, Instant start, Instant end, Duration step) throws MetricsSourceException {
            try {
                Thread.sleep(DELAY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MetricsSourceException(Evidence.Status.ERROR, "interrupted");
            }
            return new Result(List.of(new Series(Map.of(), List.of(start, end), new double[] {1, 2})), step, List.of());
        }
    }

    private static void parallel(Engine engine, AlertContext alert, Rule rule, int pathLength, int n) {
        var pool = Executors.newFixedThreadPool(n);
        long t0 = System.nanoTime();
        List<CompletableFuture<Diagnosis>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(CompletableFuture.supplyAsync(() -> engine.run(alert, List.of(rule), Map.of()), pool));
        }
        all.forEach(CompletableFuture::join);
        double wall = (System.nanoTime() - t0) / 1e6;
        pool.shutdown();
        // 8 step threads serve 20 x 6 = 120 steps of 200 ms: the floor is 120 * 200 / 8 ms.
        double floor = Math.max(pathLength * DELAY_MS, n * rule.steps().size() * DELAY_MS / 8.0);
        System.out.printf("%-24s diagnoses=%d wall_ms=%.0f pool_floor_ms=%.0f ratio_to_floor=%.2f%n", "20 in parallel", n, wall,
                floor, wall / floor);
    }

    private static Rule rule(Map<String, List<String>> needs) {
        List<Rule.Step> steps = new ArrayList<>();
        new java.util.TreeMap<>(needs).forEach((id, n) -> steps.add(new Rule.Step(id, "metrics.compare", n,
                Map.of("query", "q_" + id, "before", "30m", "after", "30m"), null)));
        return new Rule("bench", "bench", "bench.yaml", Layer.APPLICATION, List.of(), false, Map.of(), steps, List.of(), null);
    }

    /** A minimal Prometheus client over the JDK's HttpClient (the service's adapter needs Quarkus). */
    private static class HttpMetricsSource implements MetricsSource {
        private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newCachedThreadPool()).build();
        private final String base;

        HttpMetricsSource(String base) {
            this.base = base;
        }

        public String render(String template, Map<String, String> vars) {
            return template;
        }

        public Result range(String query, Instant start, Instant end, Duration step) throws MetricsSourceException {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query_range"))
                        .POST(HttpRequest.BodyPublishers.ofString("query=" + query)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new MetricsSourceException(Evidence.Status.ERROR, "HTTP " + r.statusCode());
                }
                return new Result(List.of(new Series(Map.of(), List.of(start, end), new double[] {1, 2})), step, List.of());
            } catch (java.io.IOException | InterruptedException e) {
                throw new MetricsSourceException(Evidence.Status.ERROR, e.toString());
            }
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
            return "bench";
        }
    }
}
