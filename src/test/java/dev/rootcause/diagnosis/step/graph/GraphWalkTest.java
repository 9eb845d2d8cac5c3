package dev.rootcause.diagnosis.step.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.ServiceCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The walk's multi-hop scenarios over a fake Prometheus: a 3-hop chain, fan-in, a consequence that looks like a cause,
 * a component slow every day, uniform slowness under CPU throttling, cycles and the depth limit; and at most one query
 * per level and signal.
 */
class GraphWalkTest {

    static final MetricConventions TABLE = MetricConventions.load(Path.of("rules/conventions.yaml"));
    static final Instant AT = Instant.parse("2025-11-27T10:00:00Z");

    final FakePrometheus prom = new FakePrometheus();
    final List<ChangeEvent> changes = new ArrayList<>();

    static FakePrometheus.Profile slowFrom(double base, double level, Instant onset) {
        return new FakePrometheus.Profile(base, level, onset);
    }

    static DependencyGraph graph(String... edges) {
        List<DependencyEdge> out = new ArrayList<>();
        for (String e : edges) {
            String[] ends = e.split("->");
            out.add(new DependencyEdge(ends[0].trim(), ends[1].trim(), Set.of("test")));
        }
        return new DependencyGraph(out, Map.of("test", out.size() + " edges"), AT);
    }

    WalkResult walk(DependencyGraph g, WalkSignal signal, int maxDepth) throws Exception {
        return walk(g, signal, maxDepth, true);
    }

    WalkResult walk(DependencyGraph g, WalkSignal signal, int maxDepth, boolean trustAlert) throws Exception {
        ChangeSource source = new ChangeSource() {
            @Override
            public String name() {
                return "api";
            }

            @Override
            public List<ChangeEvent> changes(String service, Instant since, Instant until) {
                return changes.stream().filter(c -> c.service().equals(service) && !c.time().isBefore(since) && !c.time().isAfter(until)).toList();
            }
        };
        GraphWalk walk = new GraphWalk(prom, TABLE, ServiceCatalogue.empty(), List.of(source), null);
        return walk.walk(g, new GraphWalk.Request("checkout", signal, AT.minus(Duration.ofHours(1)), AT, AT.plus(Duration.ofMinutes(30)),
                Duration.ofSeconds(30), Map.of("rate_window", "5m"), maxDepth, signal.minRatio(), signal.minAfter(), Duration.ofMinutes(2),
                true, null, "traces", Double.NaN, Double.NaN, trustAlert));
    }

    WalkResult walk(DependencyGraph g) throws Exception {
        return walk(g, WalkSignal.LATENCY, 5);
    }

    @Test
    void threeHopChainBlamesTheDatabaseTwoHopsDownAndNamesThePath() throws Exception {
        prom.server.put("checkout", slowFrom(0.21, 1.9, AT));
        prom.server.put("payments", slowFrom(0.05, 1.7, AT.minusSeconds(60)));
        prom.server.put("auth", FakePrometheus.Profile.flat(0.02));
        // the database has no server metrics: payments' client sees it
        prom.client.put("payments>payments-db", slowFrom(0.003, 1.6, AT.minusSeconds(90)));
        prom.client.put("payments>fraud", FakePrometheus.Profile.flat(0.04));

        WalkResult r = walk(graph("checkout -> payments", "checkout -> auth", "payments -> payments-db", "payments -> fraud"));

        assertThat(r.blamed()).isEqualTo("payments-db");
        assertThat(r.found()).isTrue();
        assertThat(r.blamedDepth()).isEqualTo(2);
        assertThat(r.chain()).isEqualTo("checkout p99 0.21→1.9 s → payments 0.05→1.7 s → payments-db client mean 3→1600 ms");
        assertThat(r.kinds()).containsExactly("client metrics");
        assertThat(r.normal()).anySatisfy(n -> assertThat(n).startsWith("auth")).anySatisfy(n -> assertThat(n).startsWith("fraud"));
        assertThat(r.onset()).isEqualTo(AT.minusSeconds(90));
        assertThat(r.cause()).startsWith("payments-db is the deepest component that slowed, 2 hops below checkout: checkout p99")
                .contains("its own downstreams are normal").contains("Checked and normal: auth");
    }

    @Test
    void aSignalTheAlertIsNotAboutIsNotFollowedBelowATargetWhoseOwnReadingDidNotChange() throws Exception {
        // a latency alert: its errors walk finds checkout's own errors unchanged, so it asks nothing below it
        prom.errors.put("checkout", FakePrometheus.Profile.flat(0.001));
        prom.errors.put("payments", slowFrom(0.001, 0.2, AT));

        WalkResult notAbout = walk(graph("checkout -> payments"), WalkSignal.ERRORS, 5, false);
        assertThat(notAbout.found()).isFalse();
        int asked = notAbout.queries().size();

        // the same data for an errors alert: the alert is trusted about its own target, the walk goes down
        WalkResult about = walk(graph("checkout -> payments"), WalkSignal.ERRORS, 5, true);
        assertThat(about.blamed()).isEqualTo("payments");
        assertThat(about.queries().size()).isGreaterThan(asked);
    }

    @Test
    void agreeingKindsAreInTheSameOrderEveryRun() {
        // the result's kinds are an immutable Set, whose iteration order varies between JVM runs (flow B saw both)
        for (Set<String> kinds : List.of(Set.of("traces", "metrics"), Set.of("metrics", "traces"), Set.of("probe", "traces", "metrics"))) {
            assertThat(String.join(",", WalkValues.agreeing(kinds))).isIn("metric,trace", "metric,probe,trace");
        }
    }

    @Test
    void oneQueryPerLevelAndSignal() throws Exception {
        prom.server.put("checkout", slowFrom(0.2, 2.0, AT));
        List<String> edges = new ArrayList<>();
        // 3 levels of 6 components each: every component of a level in one query
        for (int i = 0; i < 6; i++) {
            edges.add("checkout -> a" + i);
            edges.add("a" + i + " -> b" + i);
            edges.add("b" + i + " -> c" + i);
            prom.server.put("a" + i, slowFrom(0.1, 1.0, AT));
            prom.server.put("b" + i, slowFrom(0.1, 1.0, AT));
            prom.server.put("c" + i, i == 0 ? slowFrom(0.1, 1.0, AT) : FakePrometheus.Profile.flat(0.1));
        }
        WalkResult r = walk(graph(edges.toArray(String[]::new)));

        assertThat(r.blamed()).isEqualTo("c0");
        long server = prom.asked.stream().filter(q -> q.contains("http_request_duration_seconds_bucket") && !q.contains("offset 1d")).count();
        long dayBefore = prom.count("offset 1d");
        long throttling = prom.count("container_cpu_cfs_throttled_periods_total");
        assertThat(server).as(prom.asked.toString()).isEqualTo(4); // the target + 3 levels
        assertThat(dayBefore).isEqualTo(3); // the anomalous of each level
        assertThat(throttling).isEqualTo(4); // the target, then the anomalous of each level
        assertThat(prom.count("container_cpu_usage_seconds_total")).isEqualTo(3); // the anomalous of each level (not throttled)
        // the calls into each level as their callers see them (the network check), though every component had server metrics
        assertThat(prom.count("http_client_requests_seconds")).isEqualTo(3);
        assertThat(r.queries()).hasSize(prom.asked.size()).hasSize(4 + 3 + 4 + 3 + 3);
    }

    @Test
    void fanInBlamesTheCommonDownstreamOfTheAnomalousCallers() throws Exception {
        prom.server.put("checkout", slowFrom(0.2, 2.0, AT));
        prom.server.put("cart", slowFrom(0.05, 1.0, AT));
        prom.server.put("orders", slowFrom(0.05, 1.2, AT));
        prom.server.put("search", FakePrometheus.Profile.flat(0.05));
        prom.server.put("inventory", slowFrom(0.01, 0.9, AT.minusSeconds(30)));

        WalkResult r = walk(graph("checkout -> cart", "checkout -> orders", "checkout -> search", "cart -> inventory", "orders -> inventory"));

        assertThat(r.blamed()).isEqualTo("inventory");
        assertThat(r.path()).extracting(WalkResult.Hop::component).containsExactly("checkout", "orders", "inventory");
        assertThat(r.alsoVia()).containsExactly("cart");
        assertThat(r.cause()).contains("also reached via cart (fan-in)");
    }

    @Test
    void anAnomalyThatBeganAfterItsCallersIsAConsequenceNotTheCause() throws Exception {
        prom.server.put("checkout", slowFrom(0.2, 2.0, AT));
        prom.server.put("payments", slowFrom(0.05, 1.5, AT));
        // ledger slowed 12 minutes later (payments' retries piled onto it): it looks like a deeper cause, it is not
        prom.server.put("ledger", slowFrom(0.01, 0.8, AT.plus(Duration.ofMinutes(12))));

        WalkResult r = walk(graph("checkout -> payments", "payments -> ledger"));

        assertThat(r.blamed()).isEqualTo("payments");
        assertThat(r.notBlamed()).singleElement().asString().startsWith("ledger").contains("a consequence, not the cause");
    }

    @Test
    void aComponentSlowEveryDayAtThisTimeOrAllAlongIsNotBlamed() throws Exception {
        prom.server.put("checkout", slowFrom(0.2, 2.0, AT));
        // reports: slow at this hour every day (a batch job); yesterday's same window looked the same
        prom.server.put("reports", slowFrom(0.1, 1.2, AT));
        prom.yesterday.put("reports", slowFrom(0.1, 1.1, AT));
        // legacy: slow all along, compared with itself it did not change
        prom.server.put("legacy", FakePrometheus.Profile.flat(2.5));
        prom.server.put("payments", slowFrom(0.05, 1.5, AT));
        prom.yesterday.put("payments", FakePrometheus.Profile.flat(0.05));

        WalkResult r = walk(graph("checkout -> reports", "checkout -> legacy", "checkout -> payments"));

        assertThat(r.blamed()).isEqualTo("payments");
        assertThat(r.notBlamed()).singleElement().asString().startsWith("reports").contains("its daily pattern");
        assertThat(r.normal()).singleElement().asString().startsWith("legacy 2.5→2.5 s");
    }

    @Test
    void uniformSlownessUnderCpuThrottlingBlamesTheCallersSaturation() throws Exception {
        prom.server.put("checkout", slowFrom(0.2, 1.5, AT));
        prom.throttled.put("checkout", slowFrom(0.02, 0.6, AT.minusSeconds(60)));
        // as checkout's client sees them, every downstream is slower (checkout itself is the slow part)
        prom.client.put("checkout>auth", slowFrom(0.02, 0.2, AT));
        prom.client.put("checkout>payments", slowFrom(0.03, 0.21, AT));

        WalkResult r = walk(graph("checkout -> auth", "checkout -> payments"));

        assertThat(r.found()).isFalse();
        assertThat(r.blamed()).isEqualTo("checkout");
        assertThat(r.explanation()).startsWith("CPU throttled: 60% of CFS periods");
        assertThat(r.cause()).startsWith("checkout slowed on its own: CPU throttled");
    }

    @Test
    void uniformClientSideSlownessWithoutThrottlingDataStillPointsAtTheCaller() throws Exception {
        prom.server.put("checkout", slowFrom(0.2, 1.5, AT));
        prom.client.put("checkout>auth", slowFrom(0.02, 0.2, AT));
        prom.client.put("checkout>payments", slowFrom(0.03, 0.21, AT));
        prom.client.put("checkout>inventory", slowFrom(0.03, 0.22, AT));

        WalkResult r = walk(graph("checkout -> auth", "checkout -> payments", "checkout -> inventory"));

        assertThat(r.found()).isFalse();
        assertThat(r.blamed()).isEqualTo("checkout");
        assertThat(r.explanation()).contains("all 3 of its downstreams are slower as its own client sees them");
    }

    @Test
    void aChangeOfAnIntermediateComponentStopsTheWalkThere() throws Exception {
        prom.server.put("checkout", slowFrom(0.2, 2.0, AT));
        prom.server.put("payments", slowFrom(0.05, 1.5, AT));
        prom.server.put("ledger", slowFrom(0.01, 0.8, AT));
        changes.add(new ChangeEvent("1", "payments", "2.4.0", "2.3.9", null, "ci", AT.minusSeconds(120), "deploy", null, "api", Map.of(),
                Map.of(), null));

        WalkResult r = walk(graph("checkout -> payments", "payments -> ledger"));

        assertThat(r.blamed()).isEqualTo("payments");
        assertThat(r.explanation()).isEqualTo("a deploy of payments to 2.4.0 at " + AT.minusSeconds(120));
    }

    @Test
    void cyclesAreVisitedOnceAndTheDepthLimitIsReported() throws Exception {
        prom.server.put("checkout", slowFrom(0.2, 2.0, AT));
        for (String s : List.of("a", "b", "c", "d")) {
            prom.server.put(s, slowFrom(0.1, 1.0, AT));
        }
        WalkResult cyclic = walk(graph("checkout -> a", "a -> b", "b -> a", "b -> checkout"));
        assertThat(cyclic.blamed()).isEqualTo("b");
        assertThat(cyclic.path()).extracting(WalkResult.Hop::component).containsExactly("checkout", "a", "b");

        prom.asked.clear();
        WalkResult limited = walk(graph("checkout -> a", "a -> b", "b -> c", "c -> d"), WalkSignal.LATENCY, 2);
        assertThat(limited.blamed()).isEqualTo("b");
        assertThat(limited.unchecked()).anySatisfy(u -> assertThat(u).contains("below b (the depth limit, 2 levels, was reached)"));
    }

    @Test
    void aDelayOnTheWayToAComponentBlamesItsNetworkNotTheCaller() throws Exception {
        prom.server.put("checkout", slowFrom(0.2, 1.9, AT));
        prom.server.put("payments", slowFrom(0.05, 1.0, AT));
        prom.server.put("auth", FakePrometheus.Profile.flat(0.02));
        // the ledger serves as fast as ever; payments' calls to it wait 0.8 s on the way
        prom.server.put("ledger", FakePrometheus.Profile.flat(0.012));
        prom.client.put("payments>ledger", slowFrom(0.014, 0.82, AT.minusSeconds(30)));
        prom.server.put("fraud", FakePrometheus.Profile.flat(0.03));
        prom.client.put("payments>fraud", FakePrometheus.Profile.flat(0.032));

        WalkResult r = walk(graph("checkout -> payments", "checkout -> auth", "payments -> ledger", "payments -> fraud"));

        assertThat(r.blamed()).isEqualTo("ledger");
        assertThat(r.chain()).isEqualTo("checkout p99 0.2→1.9 s → payments 0.05→1 s → ledger client mean 0.014→0.82 s");
        assertThat(r.explanation()).isEqualTo("calls to ledger slowed while ledger itself did not (payments's client mean 0.014→0.82 s, its own p99 "
                + "0.012→0.012 s): the network path or ledger's pod network");
        assertThat(r.normal()).anySatisfy(n -> assertThat(n).startsWith("fraud"));
        assertThat(prom.count("http_client_requests_seconds")).isEqualTo(2); // one per level
    }

    @Test
    void aTinyRiseBelowIsNotTheCauseOfItsCallersLargeOne() throws Exception {
        prom.server.put("checkout", slowFrom(0.5, 4.4, AT));
        prom.server.put("preserve", slowFrom(0.47, 4.5, AT));
        // 11→63 ms: anomalous on its own (×5.7), but 1 % of what preserve added
        prom.server.put("orders", slowFrom(0.011, 0.063, AT));

        WalkResult r = walk(graph("checkout -> preserve", "preserve -> orders"));

        assertThat(r.blamed()).isEqualTo("preserve");
        assertThat(r.explanation()).isEmpty();
        assertThat(r.notBlamed()).singleElement().asString().startsWith("orders 0.011→0.063 s")
                .contains("added 1 % of preserve's rise: too small a share to explain it");
    }

    @Test
    void aSiblingThatCarriesTheCallersRiseExplainsIt() throws Exception {
        // checkout calls cart and payments; checkout itself also calls payments (met at level 1): payments' network
        prom.server.put("checkout", slowFrom(0.3, 0.5, AT));
        prom.server.put("cart", slowFrom(0.2, 0.9, AT));
        prom.server.put("payments", FakePrometheus.Profile.flat(0.004));
        prom.client.put("checkout>payments", slowFrom(0.005, 0.13, AT));
        prom.client.put("checkout>cart", slowFrom(0.2, 0.6, AT));
        prom.client.put("cart>payments", slowFrom(0.005, 0.17, AT));

        WalkResult r = walk(graph("checkout -> cart", "checkout -> payments", "cart -> payments"));

        assertThat(r.blamed()).isEqualTo("payments");
        assertThat(r.explanation()).contains("the network path or payments's pod network");
        assertThat(r.notBlamed()).singleElement().asString().startsWith("cart").contains("payments explains it");
    }

    @Test
    void theAlertingServiceItselfWhenNothingBelowCarriesItsRiseWithItsCpu() throws Exception {
        prom.server.put("checkout", slowFrom(1.2, 2.4, AT));
        prom.cpu.put("checkout", slowFrom(0.25, 0.74, AT.minusSeconds(60)));
        prom.server.put("ads", slowFrom(0.063, 0.26, AT)); // ×4, but 16 % of checkout's rise
        prom.server.put("payments", FakePrometheus.Profile.flat(0.05));

        WalkResult r = walk(graph("checkout -> ads", "checkout -> payments"));

        assertThat(r.found()).isFalse();
        assertThat(r.blamed()).isEqualTo("checkout");
        assertThat(r.explanation()).isEqualTo("CPU usage rose 0.25→0.74 cores (×3.0); no downstream carries a meaningful share of its rise "
                + "(1.2→2.4 s)");
        assertThat(r.cause()).startsWith("checkout slowed on its own: CPU usage rose");
        assertThat(r.notBlamed()).singleElement().asString().startsWith("ads").contains("too small a share");
        assertThat(prom.count("container_cpu_usage_seconds_total")).isEqualTo(1); // asked for the target once, at the end

        // without CPU metrics the target is still itself: nothing below carries its rise
        prom.cpu.clear();
        WalkResult bare = walk(graph("checkout -> ads", "checkout -> payments"));
        assertThat(bare.blamed()).isEqualTo("checkout");
        assertThat(bare.explanation()).isEqualTo("no downstream carries a meaningful share of its rise (1.2→2.4 s)");
    }

    @Test
    void errorsAreFollowedWithTheErrorRatio() throws Exception {
        prom.errors.put("checkout", slowFrom(0.001, 0.2, AT));
        prom.errors.put("payments", slowFrom(0.001, 0.3, AT));
        prom.errors.put("auth", FakePrometheus.Profile.flat(0.001));

        WalkResult r = walk(graph("checkout -> payments", "checkout -> auth"), WalkSignal.ERRORS, 5);

        assertThat(r.blamed()).isEqualTo("payments");
        assertThat(r.chain()).isEqualTo("checkout 5xx 0.1%→20% → payments 0.1%→30%");
        assertThat(prom.asked.get(0)).contains("http_requests_total").contains(" or 0 * ");
    }
}
