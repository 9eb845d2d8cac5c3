package dev.rootcause.ruletest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.engine.Engine;
import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.diagnosis.engine.StepCatalogue;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.diagnosis.step.graph.FakePrometheus;
import dev.rootcause.diagnosis.step.metrics.ConventionResolver;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.rule.load.RuleLoader;
import dev.rootcause.rule.load.RuleParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes the rule tests of the dependency walk ({@code rules/tests/latency-slow-dependency/walk-*}): each scenario's
 * world (Prometheus series, Zipkin-like traces, the dependency graph) is diagnosed with the shipped rules and what the
 * steps asked is exported as the test's recordings, the conclusion as its expectation. The test fails when the shipped
 * folders differ from what the walk makes of the same worlds now; after a deliberate change, rewrite them with
 * {@code ./mvnw -B -o test -Dtest=MakeWalkRuleTests -Drootcause.regenerate=true}.
 */
class MakeWalkRuleTests {

    static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");
    static final Instant NOW = AT.plus(Duration.ofMinutes(30));
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    @org.junit.jupiter.api.Test
    void shippedWalkRuleTestsAreWhatTheWalkMakesOfTheirWorlds() throws Exception {
        boolean regenerate = Boolean.getBoolean("rootcause.regenerate");
        Path out = regenerate ? Path.of("rules/tests") : tmp;
        List<String> names = generate(Path.of("rules"), out);
        for (String name : names) {
            Path shipped = Path.of("rules/tests").resolve(name);
            // the conclusion exactly; the recordings by what was asked (rules run concurrently, so the order of
            // answers to a query asked twice may differ from run to run)
            org.assertj.core.api.Assertions.assertThat(Files.readString(shipped.resolve("expected.yaml")))
                    .as(name + "/expected.yaml (regenerate with -Drootcause.regenerate=true)")
                    .isEqualTo(Files.readString(out.resolve(name).resolve("expected.yaml")));
            org.assertj.core.api.Assertions.assertThat(queries(shipped.resolve("prometheus.json"))).as(name + "/prometheus.json")
                    .isEqualTo(queries(out.resolve(name).resolve("prometheus.json")));
            org.assertj.core.api.Assertions.assertThat(JSON.readTree(shipped.resolve("graph.json").toFile()))
                    .isEqualTo(JSON.readTree(out.resolve(name).resolve("graph.json").toFile()));
        }
    }

    private static Set<String> queries(Path prometheusJson) throws java.io.IOException {
        Set<String> out = new java.util.TreeSet<>();
        JSON.readTree(prometheusJson.toFile()).forEach(r -> out.add(r.path("query").asText()));
        return out;
    }

    static List<String> generate(Path rulesDir, Path out) throws Exception {
        // 3 hops: checkout → payments → payments-db; the database slowed, payments with it, auth did not
        FakePrometheus chain = new FakePrometheus();
        chain.server.put("checkout", new FakePrometheus.Profile(0.21, 1.9, AT));
        chain.server.put("payments", new FakePrometheus.Profile(0.05, 1.7, AT.minusSeconds(60)));
        chain.server.put("auth", FakePrometheus.Profile.flat(0.02));
        chain.client.put("payments>payments-db", new FakePrometheus.Profile(0.003, 1.6, AT.minusSeconds(90)));
        write(rulesDir, out, "latency-slow-dependency/walk-three-hops", chain, traces(3, 1600),
                graph("checkout -> payments", "checkout -> auth", "payments -> payments-db"));
        // the same chain without traces that agree (the trace backend is down): metrics alone, medium
        write(rulesDir, out, "latency-slow-dependency/walk-three-hops-metrics-only", chain, null,
                graph("checkout -> payments", "checkout -> auth", "payments -> payments-db"));
        // ledger slowed 12 minutes after payments: a consequence; payments is blamed
        FakePrometheus consequence = new FakePrometheus();
        consequence.server.put("checkout", new FakePrometheus.Profile(0.21, 1.9, AT));
        consequence.server.put("payments", new FakePrometheus.Profile(0.05, 1.7, AT));
        consequence.server.put("ledger", new FakePrometheus.Profile(0.01, 0.9, AT.plus(Duration.ofMinutes(12))));
        write(rulesDir, out, "latency-slow-dependency/walk-consequence", consequence, null, graph("checkout -> payments", "payments -> ledger"));
        return List.of("latency-slow-dependency/walk-three-hops", "latency-slow-dependency/walk-three-hops-metrics-only",
                "latency-slow-dependency/walk-consequence");
    }

    static DependencyGraph graph(String... edges) {
        List<DependencyEdge> out = new ArrayList<>();
        for (String e : edges) {
            String[] ends = e.split("->");
            out.add(new DependencyEdge(ends[0].trim(), ends[1].trim(), Set.of("zipkin")));
        }
        return new DependencyGraph(out, Map.of("zipkin", out.size() + " edges"), AT);
    }

    /** Traces of checkout: auth 20 ms, then payments (5 ms of its own) calling payments-db (dbBefore ms, then dbAfter ms). */
    static TraceSource traces(long dbBefore, long dbAfter) {
        return new TraceSource() {
            @Override
            public List<Trace> traces(String service, Instant start, Instant end, int limit) {
                List<Trace> out = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    Instant t = start.plus(Duration.between(start, end).dividedBy(11).multipliedBy(i + 1));
                    long db = t.isBefore(AT) ? dbBefore : dbAfter;
                    out.add(trace(String.format("%016x%016x", t.getEpochSecond(), i), t.getEpochSecond() * 1_000_000L, db));
                }
                return out;
            }

            @Override
            public String describe(String service, Instant start, Instant end, int limit) {
                return "GET /api/v2/traces?serviceName=" + service;
            }

            @Override
            public String traceLink(String traceId) {
                return "http://zipkin:9411/zipkin/traces/" + traceId;
            }

            @Override
            public String name() {
                return "zipkin";
            }
        };
    }

    static TraceSource.Trace trace(String id, long t0, long dbMillis) {
        long db = dbMillis * 1000;
        List<TraceSource.Span> s = new ArrayList<>();
        s.add(new TraceSource.Span("a0", null, "checkout", "post /orders", "SERVER", null, t0, 30_000 + 10_000 + db, false, null));
        s.add(new TraceSource.Span("a1", "a0", "checkout", "post /auth", "CLIENT", "auth", t0 + 1000, 22_000, false, null));
        s.add(new TraceSource.Span("a2", "a1", "auth", "post /auth", "SERVER", null, t0 + 2000, 20_000, false, null));
        s.add(new TraceSource.Span("a3", "a0", "checkout", "post /payments", "CLIENT", "payments", t0 + 24_000, 10_000 + db, false, null));
        s.add(new TraceSource.Span("a4", "a3", "payments", "post /payments", "SERVER", null, t0 + 25_000, 8_000 + db, false, null));
        s.add(new TraceSource.Span("a5", "a4", "payments", "select", "CLIENT", "payments-db", t0 + 28_000, db, false, null));
        return new TraceSource.Trace(id, s);
    }

    static void write(Path rulesDir, Path out, String name, FakePrometheus prom, TraceSource traces, DependencyGraph graph) throws Exception {
        ServiceCatalogue catalogue = ServiceCatalogue.load(RuleTestRunner.catalogueOf(rulesDir));
        MetricConventions conventions = MetricConventions.load(rulesDir.resolve(MetricConventions.FILE));
        StepPorts ports = RecordingFamilies.replay(null, JSON, new StepPorts(null, null, null, null, null, catalogue, null, List::of));
        ports = ports.withMetrics(prom, new ConventionResolver(prom, conventions, catalogue, Clock.systemUTC(), Duration.ofMinutes(10)))
                .withGraph(() -> graph);
        if (traces != null) {
            ports = ports.withTraces(traces);
        }
        List<Rule> rules = new ArrayList<>();
        var types = new RegisteredStepTypes(StepCatalogue.build(ports));
        try (Stream<Path> files = Files.list(rulesDir)) {
            for (Path f : files.filter(RuleLoader::isRuleFile).sorted().toList()) {
                rules.add(RuleParser.parseFile(f, f.getFileName().toString(), types, RuleTestRunner.GLOBAL_VARS.keySet()));
            }
        }
        Map<String, String> labels = Map.of("alertname", "HighLatency", "service", "checkout", "severity", "warning");
        AlertContext alert = new AlertContext("rule test " + name, labels, Map.of("summary", "p95 latency of checkout above 300 ms"), AT, NOW);
        Diagnosis d;
        try (Engine engine = new Engine(StepCatalogue.build(ports), 4, Duration.ofSeconds(30))) {
            d = engine.run(alert, rules.stream().filter(r -> r.matches(labels)).toList(), RuleTestRunner.GLOBAL_VARS);
        }
        Path dir = out.resolve(name);
        Files.createDirectories(dir);
        ObjectNode a = JSON.createObjectNode();
        a.set("labels", JSON.valueToTree(new java.util.TreeMap<>(labels)));
        a.set("annotations", JSON.valueToTree(alert.annotations()));
        a.put("startsAt", AT.toString()).put("evaluatedAt", NOW.toString());
        Files.writeString(dir.resolve("alert.json"), JSON.writeValueAsString(a) + "\n");
        ArrayNode recorded = JSON.createArrayNode();
        // rules run concurrently: the files list the answers by query, so they do not change from run to run
        d.evidence().stream().flatMap(e -> e.recorded().stream())
                .sorted(java.util.Comparator.comparing((Evidence.Recorded r) -> String.valueOf(r.capability())).thenComparing(Evidence.Recorded::query))
                .forEach(r -> recorded.add(JSON.valueToTree(r)));
        for (Map.Entry<String, JsonNode> f : RecordingFamilies.export(recorded, JSON).entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), JSON.writeValueAsString(f.getValue()) + "\n");
        }
        Map<String, Object> expected = new LinkedHashMap<>();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("rule", d.rootCause().rule());
        root.put("finding", d.rootCause().finding());
        root.put("confidence", d.rootCause().confidence().toString().toLowerCase());
        Evidence walk = d.evidence().stream().filter(e -> e.type().equals("graph.walk") && Boolean.TRUE.equals(e.values().get("found"))
                && d.rootCause().rule().equals("latency-slow-dependency")).findFirst().orElse(null);
        List<String> contains = new ArrayList<>();
        if (walk != null) {
            contains.add(String.valueOf(walk.values().get("path")));
            String notBlamed = String.valueOf(walk.values().get("not_blamed"));
            if (!notBlamed.isEmpty()) {
                contains.add("Not blamed: " + notBlamed.substring(0, notBlamed.indexOf(" (")));
            }
        }
        root.put("causeContains", contains);
        expected.put("rootCause", root);
        Map<String, String> findings = new LinkedHashMap<>();
        for (Finding f : d.findings()) {
            if (f.rule().equals("latency-slow-dependency") || f.rule().equals("downstream-errors")) {
                findings.put(f.rule() + "/" + f.id(), f.verdict().wire());
            }
        }
        expected.put("findings", findings);
        Files.writeString(dir.resolve("expected.yaml"), "# generated by src/test/java/dev/rootcause/ruletest/MakeWalkRuleTests.java\n"
                + YAML.writeValueAsString(expected).replaceFirst("^---\n", ""));
    }
}
