package dev.rootcause.bench;

import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.diagnosis.step.graph.FakePrometheus;
import dev.rootcause.diagnosis.step.graph.GraphWalk;
import dev.rootcause.diagnosis.step.graph.WalkResult;
import dev.rootcause.diagnosis.step.graph.WalkSignal;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.ServiceCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Queries and wall time per walk: graphs of known shape over a Prometheus that answers every range query after
 * {@link #DELAY_MS} (the walk asks level by level, so its wall time is its query count times that, plus its own
 * work), 15 timed walks each after 5 warm-up walks. Run with {@code bench/walk.sh}; prints one line per shape.
 */
public final class WalkBench {

    static final int DELAY_MS = 50;
    static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");

    public static void main(String[] args) throws Exception {
        MetricConventions table = MetricConventions.load(Path.of("rules/conventions.yaml"));
        System.out.println("| graph | components | levels walked | queries per walk | wall ms per walk (median / max) | of which Prometheus ms |");
        System.out.println("|---|---|---|---|---|---|");
        for (int width : new int[] {1, 6, 30}) {
            FakePrometheus prom = new FakePrometheus();
            List<DependencyEdge> edges = new ArrayList<>();
            prom.server.put("checkout", new FakePrometheus.Profile(0.2, 2.0, AT));
            for (int i = 0; i < width; i++) {
                edges.add(edge("checkout", "a" + i));
                edges.add(edge("a" + i, "b" + i));
                edges.add(edge("b" + i, "db" + i));
                prom.server.put("a" + i, i == 0 ? new FakePrometheus.Profile(0.1, 1.0, AT) : FakePrometheus.Profile.flat(0.1));
                prom.server.put("b" + i, i == 0 ? new FakePrometheus.Profile(0.05, 0.9, AT) : FakePrometheus.Profile.flat(0.05));
                prom.client.put("b" + i + ">db" + i, i == 0 ? new FakePrometheus.Profile(0.003, 0.8, AT) : FakePrometheus.Profile.flat(0.003));
            }
            DependencyGraph graph = new DependencyGraph(edges, Map.of("bench", edges.size() + " edges"), AT);
            Slow slow = new Slow(prom);
            GraphWalk walk = new GraphWalk(slow, table, ServiceCatalogue.empty(), List.of(), null);
            GraphWalk.Request r = new GraphWalk.Request("checkout", WalkSignal.LATENCY, AT.minus(Duration.ofHours(1)), AT,
                    AT.plus(Duration.ofMinutes(30)), Duration.ofSeconds(15), Map.of("rate_window", "1m"), 5, 1.5, 0, Duration.ofMinutes(2),
                    true, null, "traces", Double.NaN, Double.NaN);
            WalkResult last = null;
            for (int i = 0; i < 5; i++) {
                last = walk.walk(graph, r);
            }
            List<Long> wall = new ArrayList<>();
            int queries = 0;
            for (int i = 0; i < 15; i++) {
                long t0 = System.nanoTime();
                last = walk.walk(graph, r);
                wall.add((System.nanoTime() - t0) / 1_000_000);
                queries = last.queries().size();
            }
            wall.sort(null);
            if (!"db0".equals(last.blamed())) {
                throw new IllegalStateException("the bench's walk blamed " + last.blamed() + ", not db0");
            }
            System.out.printf(Locale.ROOT, "| %d chain%s of 3 hops, one slow | %d | %d | %d | %d / %d | %d |%n", width, width == 1 ? "" : "s",
                    1 + 3 * width, last.depth(), queries, wall.get(wall.size() / 2), wall.get(wall.size() - 1), queries * DELAY_MS);
        }
    }

    static DependencyEdge edge(String a, String b) {
        return new DependencyEdge(a, b, Set.of("bench"));
    }

    /** The fake Prometheus, answering each range query after {@link #DELAY_MS}. */
    record Slow(FakePrometheus inner) implements MetricsSource {
        @Override
        public String render(String template, Map<String, String> vars) throws MetricsSourceException {
            return inner.render(template, vars);
        }

        @Override
        public Result range(String query, Instant start, Instant end, Duration step) {
            try {
                Thread.sleep(DELAY_MS); // a bench, not a test: the backend's answer time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.range(query, start, end, step);
        }

        @Override
        public Result instant(String query, Instant at) {
            return inner.instant(query, at);
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
