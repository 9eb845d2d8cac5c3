package dev.rootcause.diagnosis.step.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.ServiceCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Replays the Nezha dataset (IntelligentDDS/Nezha, MIT; {@code src/test/resources/nezha/README.md}): for every fault
 * with a latency symptom, a latency alert on the system's entry service at the fault's start, walked over the dataset's
 * call graph with metrics answered from its recordings ({@link NezhaMetrics}); the walk's answer is compared with the
 * injected pod's service. Parameters were chosen on Online Boutique only; Train Ticket is the report system. Prints
 * the table BENCHMARKS.md shows ({@code ./mvnw -B -o test -Dtest=NezhaReplayTest}) and fails below a floor a little
 * under the measured figures.
 */
class NezhaReplayTest {

    /** Fault types injected at the code level (a changed return value, a thrown exception): they show as errors and in logs. */
    static final Set<String> CODE_LEVEL = Set.of("return", "exception");

    /**
     * The walk's parameters, chosen on Online Boutique alone (a grid of baseline 4/6/10/15/20 min, symptom window
     * 2/3/4/6 min, onset tolerance 1/2/5 min; the best top-1 was 17 of 42, these give 16 with the better top-3) and
     * then fixed for Train Ticket. Short baselines win because the faults are about 8 minutes apart: a longer one
     * takes in the previous fault.
     */
    static final Duration BEFORE = Duration.ofMinutes(4);
    static final Duration AFTER = Duration.ofMinutes(4);
    static final Duration ONSET_TOLERANCE = Duration.ofMinutes(5);
    static final int MAX_DEPTH = 6;

    /** One replayed fault: what the walk said, ranked, and what it cost. */
    record Outcome(NezhaFixture.Fault fault, List<String> ranked, int queries, long nanos, String chain) {
        int rank() {
            int i = ranked.indexOf(fault.service());
            return i < 0 ? Integer.MAX_VALUE : i + 1;
        }
    }

    /**
     * The walk's answer as a ranking: the blamed component (the entry itself when nothing below it changed), then the
     * other components of the path from the deepest up, then the other anomalous components it did not blame.
     */
    static List<String> ranked(WalkResult r) {
        Set<String> out = new LinkedHashSet<>();
        out.add(r.blamed() == null ? r.target() : r.blamed());
        for (int i = r.path().size() - 1; i >= 0; i--) {
            out.add(r.path().get(i).component());
        }
        r.notBlamed().forEach(n -> out.add(n.split(" ", 2)[0]));
        out.add(r.target());
        return new ArrayList<>(out);
    }

    static List<Outcome> replay(NezhaFixture fx, String serverSignal, boolean codeLevel) throws MetricsSourceException {
        MetricConventions conventions = MetricConventions.load(Path.of("src/test/resources/nezha/conventions.yaml"));
        List<Outcome> out = new ArrayList<>();
        for (NezhaFixture.Fault f : fx.faults) {
            if (CODE_LEVEL.contains(f.type()) != codeLevel) {
                continue;
            }
            NezhaMetrics metrics = new NezhaMetrics(fx, serverSignal);
            GraphWalk walk = new GraphWalk(metrics, conventions, ServiceCatalogue.empty(), List.of(), null);
            GraphWalk.Request req = new GraphWalk.Request(fx.entry, WalkSignal.LATENCY, f.at().minus(BEFORE), f.at(), f.at().plus(AFTER),
                    Duration.ofSeconds(15), Map.of(), MAX_DEPTH, WalkSignal.LATENCY.minRatio(), WalkSignal.LATENCY.minAfter(),
                    ONSET_TOLERANCE, false, null, null, Double.NaN, Double.NaN);
            long t0 = System.nanoTime();
            WalkResult r = walk.walk(fx.graph, req);
            long nanos = System.nanoTime() - t0;
            out.add(new Outcome(f, ranked(r), metrics.asked().size(), nanos, r.chain()));
        }
        return out;
    }

    /** Per fault type and overall: n, top-1 %, top-3 %. */
    static Map<String, double[]> table(List<Outcome> outcomes) {
        Map<String, double[]> t = new TreeMap<>();
        for (Outcome o : outcomes) {
            for (String k : List.of(o.fault().type(), "all")) {
                double[] row = t.computeIfAbsent(k, x -> new double[3]);
                row[0]++;
                row[1] += o.rank() <= 1 ? 1 : 0;
                row[2] += o.rank() <= 3 ? 1 : 0;
            }
        }
        return t;
    }

    static String print(String title, List<Outcome> outcomes, boolean cases) {
        StringBuilder s = new StringBuilder("\n" + title + "\n| fault type | faults | top-1 | top-3 |\n|---|---|---|---|\n");
        table(outcomes).forEach((k, r) -> s.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f %% (%.0f) | %.0f %% (%.0f) |%n", k, r[0],
                100 * r[1] / r[0], r[1], 100 * r[2] / r[0], r[2])));
        double q = outcomes.stream().mapToInt(Outcome::queries).average().orElse(0);
        int qMax = outcomes.stream().mapToInt(Outcome::queries).max().orElse(0);
        double ms = outcomes.stream().mapToLong(Outcome::nanos).average().orElse(0) / 1e6;
        double msMax = outcomes.stream().mapToLong(Outcome::nanos).max().orElse(0) / 1e6;
        s.append(String.format(Locale.ROOT, "queries per walk: mean %.1f, max %d; wall time per walk: mean %.1f ms, max %.1f ms%n", q, qMax, ms, msMax));
        if (cases) {
            for (Outcome o : outcomes) {
                s.append(String.format(Locale.ROOT, "  %-45s %-16s %-28s rank %-3s %s | %s%n", o.fault().id(), o.fault().type(), o.fault().service(),
                        o.rank() == Integer.MAX_VALUE ? "-" : o.rank(), o.ranked().subList(0, Math.min(3, o.ranked().size())), o.chain()));
            }
        }
        return s.toString();
    }

    @Test
    void replaysBothSystems() throws Exception {
        NezhaFixture ob = NezhaFixture.load("online-boutique");
        NezhaFixture tt = NezhaFixture.load("train-ticket");
        List<Outcome> tune = replay(ob, "pod.latency_p99", false);
        List<Outcome> report = replay(tt, "trace.latency_p90", false);
        List<Outcome> obCode = replay(ob, "pod.latency_p99", true);
        List<Outcome> ttCode = replay(tt, "trace.latency_p90", true);
        System.out.println(print("Online Boutique (tuning system), resource and network faults", tune, true)
                + print("Train Ticket (report system), resource and network faults", report, true)
                + print("Online Boutique, code-level faults walked on latency (no error signal in the dataset)", obCode, false)
                + print("Train Ticket, code-level faults walked on latency (no error signal in the dataset)", ttCode, false));
        double[] t = table(tune).get("all");
        double[] r = table(report).get("all");
        assertTrue(t[0] == 42 && r[0] == 21, "every resource and network fault replayed");
        // measured after the network check, the share test and the target itself (branch accuracy): Online Boutique
        // 36 / 38 of 42, Train Ticket 3 / 3 of 21 (before: 16 / 23 and 2 / 3; BENCHMARKS.md). The walk is deterministic,
        // so any drop is a change in behaviour: one case below on the tuning system, none on the report one
        assertTrue(t[1] >= 35 && t[2] >= 37, "Online Boutique top-1 " + t[1] + " (floor 35), top-3 " + t[2] + " (floor 37)");
        assertTrue(r[1] >= 3 && r[2] >= 3, "Train Ticket top-1 " + r[1] + " (floor 3), top-3 " + r[2] + " (floor 3)");
    }
}
