package dev.rootcause.report.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.alert.reading.SymptomReading;
import dev.rootcause.alert.reading.Target;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.AlertGroup;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.report.ReportOutline;
import dev.rootcause.report.ReportOutliner;
import dev.rootcause.report.render.discord.DiscordEmbed;
import dev.rootcause.report.render.discord.DiscordRenderer;
import dev.rootcause.report.render.jira.JiraRenderer;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: every renderer over the same diagnoses (issue 19: found, not found, partial, storm, truncated,
 * skewed; a Grafana datasource error), built by hand for what the real stack cannot produce (a storm, a skewed clock).
 * The reports of the README's sample alert and of the three try-it flows come from real runs, replayed through the
 * engine: {@code ruletest.ReplayedReportsTest} writes their golden files into the same folder. Each case writes
 * {@code <case>.md} (Markdown, also GitHub's body), {@code <case>.jira.txt} (wiki markup) and {@code <case>.discord.txt}
 * (the embed's title, description, fields and footer) under {@value #DIR}; regenerate with
 * {@code -Dsnapshots.update=true} and review the diff. A second test reads every golden file: line 1 has the
 * symptom, a number, its window and the scope; lines 1–3 hold no rule id, no CEL and no empty {@code name = } value.
 */
class GoldenReportsTest {

    static final String DIR = "src/test/resources/report/golden";
    static final Instant NOW = Instant.parse("2026-06-01T09:20:00Z");
    static final Instant START = Instant.parse("2026-06-01T09:02:00Z");

    static Stream<Arguments> cases() {
        return Stream.of(
                // the README's sample and flow A come from real runs: ruletest.ReplayedReportsTest
                Arguments.of("readme-sample-on-two-pods", readmeSample()),
                Arguments.of("not-found", notFound()),
                Arguments.of("partial", partial()),
                Arguments.of("storm-truncated", storm()),
                Arguments.of("skewed", skewed()),
                Arguments.of("grafana-datasource-error", datasourceError()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyRendererMatchesItsGoldenFile(String name, Diagnosis d) throws IOException {
        ReportOutline o = ReportOutliner.outline(d.alert().title(), d.alert().labels().get("severity"), 7L, d);
        Map<String, String> files = new LinkedHashMap<>();
        files.put(name + ".md", MarkdownRenderer.render(o));
        files.put(name + ".jira.txt", JiraRenderer.wiki(o));
        files.put(name + ".discord.txt", discord(DiscordRenderer.render(o)));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path path = Path.of(DIR, f.getKey());
            if (Boolean.getBoolean("snapshots.update")) {
                Files.createDirectories(path.getParent());
                Files.writeString(path, f.getValue());
            }
            assertThat(f.getValue()).as("%s (regenerate with -Dsnapshots.update=true and review the diff)", path)
                    .isEqualTo(Files.readString(path, StandardCharsets.UTF_8));
        }
    }

    /** Rule ids of the shipped rules: none may appear in a report's first three lines. */
    static final List<String> RULE_IDS = List.of("cache-hit-rate", "cert-expiry", "config-change", "connection-pool-exhaustion",
            "cpu-throttling", "dependency-health", "disk-pressure", "downstream-errors", "http-5xx-after-deploy", "jvm-gc-pauses",
            "latency-slow-dependency", "memory-pressure", "network-phases", "pod-restarts", "tcp-retransmits", "thread-pool-saturation");
    static final Pattern EMPTY_VALUE = Pattern.compile("\\b[a-z_]+ = ( ·|,|;|$)");
    static final Pattern CEL = Pattern.compile("steps\\.[a-z_]+\\.|&&|\\|\\|");

    @Test
    void everyGoldenFileLeadsWithTheSymptomANumberItsWindowAndScope() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(DIR))) {
            files = s.sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(27);
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList();
            String first = lines.get(0);
            assertThat(first).as("%s line 1 has a number", f).containsPattern("\\d");
            assertThat(first).as("%s line 1 has its window", f).containsPattern("since .*\\d\\d:\\d\\d UTC, for ");
            assertThat(first).as("%s line 1 has its scope", f).containsPattern("· \\d+ alerts?");
            assertThat(first).as("%s line 1 has the symptom", f)
                    .containsPattern("errors|latency|cache|DatasourceError");
            // ReportOutline.LINE_LIMIT (Discord's embed title, 256), plus the renderers' markup ("# ", "**…**", "*…*:")
            assertThat(first.length()).as("%s line 1 is short", f).isLessThanOrEqualTo(ReportOutline.LINE_LIMIT + 2);
            lines.subList(0, 3).stream().filter(l -> l.contains("Root cause")).forEach(l -> assertThat(l.length())
                    .as("%s: the root-cause line is short: %s", f, l).isLessThanOrEqualTo(ReportOutline.LINE_LIMIT + 6));
            for (String line : lines.subList(0, 3)) {
                RULE_IDS.forEach(id -> assertThat(line).as("%s: no rule id in lines 1-3", f).doesNotContain(id));
                assertThat(line).as("%s: no CEL in lines 1-3", f).doesNotContainPattern(CEL);
                assertThat(line).as("%s: no empty value in lines 1-3", f).doesNotContainPattern(EMPTY_VALUE);
            }
        }
    }

    @Test
    void aMegabyteLabelIsCutForPeopleAndKeptWholeInTheDiagnosis() {
        String huge = "x".repeat(1 << 20);
        AlertContext a = new AlertContext("HighErrorRate on checkout", Map.of("service", "checkout", "alertname", "HighErrorRate",
                "blob", huge), Map.of("description", huge), START, NOW, false, reading("errors", "expression names errors", "checkout"),
                AlertGroup.SINGLE);
        Diagnosis d = new Diagnosis(a, List.of("http-5xx-after-deploy"), List.of(noChange("deploy/rollback", START)), List.of(), null,
                List.of(), null, List.of());
        ReportOutline o = ReportOutliner.outline(huge, "critical", 7L, d);
        String md = MarkdownRenderer.render(o);
        assertThat(md.length()).as("the report is not buried").isLessThan(12_000);
        assertThat(o.labels().get("blob")).hasSizeLessThanOrEqualTo(256).startsWith("xxx").endsWith("characters]").contains("[cut ");
        assertThat(md).contains("`blob=xxx").contains("[cut 1,04");
        assertThat(JiraRenderer.wiki(o).length()).isLessThan(12_000);
        assertThat(d.alert().labels().get("blob")).as("stored in full").hasSize(1 << 20);
    }

    static String discord(DiscordEmbed e) {
        return GoldenText.discord(e);
    }

    // ---- the diagnoses

    static AlertReading reading(String symptom, String why, String service) {
        return new AlertReading(List.of(new SymptomReading(Symptom.of(symptom), SymptomReading.From.EXPRESSION, why)),
                Target.NONE.with("service", service, "label service"), null, null);
    }

    static AlertContext alert(String title, String service, String symptom, Instant startsAt, Instant now, AlertGroup group) {
        return new AlertContext(title, Map.of("service", service, "alertname", title.split(" ")[0], "severity", "critical"),
                Map.of("summary", title), startsAt, now, false, reading(symptom, "expression names " + symptom, service), group);
    }

    static Evidence metric(String step, Instant at, double before, double after, boolean moved) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("before", before);
        v.put("after", after);
        v.put("ratio", before == 0 ? Double.POSITIVE_INFINITY : after / before);
        v.put("exceeds_noise", moved);
        v.put("onset", moved ? at.plusSeconds(30).toString() : "");
        return new Evidence(step, "metrics.compare", "metric", "prometheus", "sum(rate(http_requests_total{service=\"checkout\"}[1m]))",
                at.minusSeconds(1800), at.plusSeconds(1080), Evidence.Status.OK, null, v, null);
    }

    static Evidence noChange(String what, Instant at) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("found", false);
        v.put("time", "");
        v.put("version", "");
        return new Evidence(what.contains("config") ? "change" : "deploy", "changes.latest", "change", "changes",
                what + " changes of checkout in [" + at.minusSeconds(7200) + ", " + at + "] and the latest in the 7d before",
                at.minusSeconds(7200), at, Evidence.Status.OK, null, v, null);
    }

    static final AlertGroup TWO_PODS = new AlertGroup(2, 0, Map.of("pod", List.of("checkout-7c5d8b9f6f-2xkqp", "checkout-7c5d8b9f6f-9wq4r"),
            "instance", List.of("10.0.0.21:8080", "10.0.0.22:8080")), 0, null);

    /** The README's sample alert, as the packaged service on embedded defaults sees it: from 2024, no Prometheus. */
    static Diagnosis readmeSample() {
        Instant start = Instant.parse("2024-05-14T09:02:17Z");
        AlertContext a = alert("HighErrorRate on checkout", "checkout", "errors", start, NOW, TWO_PODS);
        Evidence errors = new Evidence("errors", "metrics.compare", "metric", "prometheus", "sum(rate(http_server_requests_seconds_count[1m]))",
                start.minusSeconds(1800), start.plusSeconds(1800), Evidence.Status.ERROR, "connection refused (localhost:9090)", Map.of(), null);
        Evidence deploy = noChange("deploy/rollback", start);
        Finding f = new Finding("http-5xx-after-deploy", "bad-deploy", Verdict.RULES_OUT, Layer.APPLICATION, "x", Confidence.HIGH,
                List.of("deploy", "errors"), "condition not met whatever the missing steps show: steps.deploy.found && steps.errors.after"
                        + " > 0.01 (deploy.found = false, errors.after = ; missing: errors error)");
        return new Diagnosis(a, List.of("http-5xx-after-deploy", "dependency-health"), List.of(deploy, errors), List.of(f), null,
                List.of("prometheus error: connection refused (localhost:9090)"), "https://runbooks.example.internal/shop/checkout/high-error-rate",
                List.of(new Diagnosis.LayerVerdict(Layer.APPLICATION, List.of(f.name()), "not ruled out: 1 of 1 check did not run in full"
                        + " (HTTP 5xx ratio rose after a deploy)")));
    }

    static Diagnosis deploy() {
        AlertContext a = alert("Shop-P1-42", "checkout", "errors", START, NOW, TWO_PODS);
        Evidence deploy = new Evidence("deploy", "changes.latest", "change", "changes", "deploy/rollback changes of checkout in [..]",
                START.minusSeconds(7200), START, Evidence.Status.OK, null, ordered("found", true, "version", "2.3.1", "time",
                        START.minusSeconds(60).toString()), null);
        Evidence errors = metric("errors", START.minusSeconds(60), 0.001, 0.12, true);
        Finding f = new Finding("http-5xx-after-deploy", "bad-deploy", Verdict.SUPPORTS, Layer.APPLICATION,
                "Deploy 2.3.1 of checkout raised the 5xx ratio from 0.1% to 12% (120×)", Confidence.HIGH, List.of("deploy", "errors"), null);
        return new Diagnosis(a, List.of("http-5xx-after-deploy"), List.of(deploy, errors), List.of(f),
                new RootCause(f.cause(), Confidence.HIGH, f.rule(), f.id(), null), List.of(), "https://sre.google/workbook/canarying-releases/",
                List.of(new Diagnosis.LayerVerdict(Layer.APPLICATION, List.of(f.name()), "cause found: " + f.cause())));
    }

    static Diagnosis cache() {
        AlertContext a = alert("Catalog-Page-3", "cache-a", "cache", START, NOW, AlertGroup.SINGLE);
        Map<String, Object> hv = ordered("before", 0.9512, "after", 0.0716, "exceeds_noise", true);
        Evidence hit = new Evidence("hit_ratio", "metrics.compare", "metric", "prometheus", "redis keyspace hit ratio",
                START.minusSeconds(1800), START.plusSeconds(600), Evidence.Status.OK, null, hv, null);
        Evidence info = new Evidence("redis", "cache.hit_ratio", "cache", "redis", "INFO stats", NOW.minusSeconds(60), NOW,
                Evidence.Status.OK, null, ordered("hit_ratio", 0.0505, "summary", ""), null);
        Finding pen = new Finding("cache-hit-rate", "penetration", Verdict.SUPPORTS, Layer.STORAGE,
                "Cache hit ratio of cache-a collapsed from 95% to 7.2% while misses rose 14× (cache penetration)", Confidence.HIGH,
                List.of("hit_ratio", "redis"), null);
        Finding keys = new Finding("cache-hit-rate", "miss-key-pattern", Verdict.SUPPORTS, Layer.STORAGE,
                "Most cache misses of cache-a are one key pattern, \"product:*\"", Confidence.MEDIUM, List.of("hit_ratio"), null);
        return new Diagnosis(a, List.of("cache-hit-rate"), List.of(hit, info), List.of(pen, keys),
                new RootCause(pen.cause(), Confidence.HIGH, pen.rule(), pen.id(), null), List.of(),
                "https://redis.io/docs/latest/develop/data-types/probabilistic/bloom-filter/",
                List.of(new Diagnosis.LayerVerdict(Layer.STORAGE, List.of(pen.name(), keys.name()), "cause found: " + pen.cause())));
    }

    static Diagnosis walk() {
        AlertContext a = alert("TeamA-Page-7", "checkout", "latency", START, NOW, AlertGroup.SINGLE);
        Evidence p99 = new Evidence("p99", "metrics.compare", "metric", "prometheus", "histogram_quantile(0.99, …) seconds",
                START.minusSeconds(1800), START.plusSeconds(1080), Evidence.Status.OK, null, ordered("before", 0.21, "after", 1.9), null);
        Evidence walk = new Evidence("walk", "graph.walk", "trace", "zipkin", null, START.minusSeconds(1800), START.plusSeconds(1080),
                Evidence.Status.OK, null, Map.of("agreeing_kinds", "metric,trace"), null);
        Finding f = new Finding("latency-slow-dependency", "slow-dependency", Verdict.SUPPORTS, Layer.DEPENDENCY,
                // a literal: WalkResult's kinds are a Set.of, whose order changes from one JVM run to the next
                "payments-db is the deepest component that slowed, 2 hops below checkout: checkout p99 0.21→1.9 s → payments"
                        + " 0.05→1.7 s → payments-db 3→1600 ms (traces + metrics); its own downstreams are normal.",
                Confidence.HIGH, List.of("walk", "p99"), null);
        // the kinds the engine weighed the confidence on (the walk's agreeing kinds): the label names them
        return new Diagnosis(a, List.of("latency-slow-dependency"), List.of(p99, walk), List.of(f),
                new RootCause(f.cause(), Confidence.HIGH, f.rule(), f.id(), null, List.of("metric", "trace")), List.of(), null,
                List.of(new Diagnosis.LayerVerdict(Layer.DEPENDENCY, List.of(f.name()), "cause found")));
    }

    static Diagnosis notFound() {
        AlertContext a = alert("HighErrorRate on checkout", "checkout", "errors", START, NOW, AlertGroup.SINGLE);
        Evidence errors = metric("errors", START, 0.001, 0.0012, false);
        Finding f = new Finding("http-5xx-after-deploy", "bad-deploy", Verdict.RULES_OUT, Layer.APPLICATION, "x", Confidence.HIGH,
                List.of("deploy"), "condition not met: steps.deploy.found (deploy.found = false, deploy.time = )");
        return new Diagnosis(a, List.of("http-5xx-after-deploy", "config-change"),
                List.of(noChange("deploy/rollback", START), noChange("config/flag", START), errors), List.of(f), null, List.of(), null,
                List.of(new Diagnosis.LayerVerdict(Layer.APPLICATION, List.of(f.name()), "ruled out")));
    }

    static Diagnosis partial() {
        AlertContext a = alert("HighLatency on checkout", "checkout", "latency", START, NOW, AlertGroup.SINGLE);
        Evidence p99 = new Evidence("p99", "metrics.compare", "metric", "prometheus", "q", START.minusSeconds(1800), START.plusSeconds(1080),
                Evidence.Status.TIMEOUT, "prometheus: no answer within 3s", Map.of(), null);
        Evidence traces = Evidence.skipped("traces", "traces.slowest_dependency", "trace", "no trace backend configured");
        return new Diagnosis(a, List.of("latency-slow-dependency"), List.of(noChange("deploy/rollback", START), p99, traces), List.of(),
                null, List.of("prometheus timeout: prometheus: no answer within 3s"), null, List.of());
    }

    /** A storm: 3000 alerts, Alertmanager sent 1000 of them. */
    static Diagnosis storm() {
        List<String> pods = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            pods.add("checkout-" + String.format("%04d", i));
        }
        AlertGroup g = new AlertGroup(1000, 2000, Map.of("pod", pods), 0, null);
        AlertContext a = alert("KubePodCrashLooping errors", "checkout", "errors", START, NOW, g);
        Evidence errors = metric("errors", START, 0.002, 0.31, true);
        return new Diagnosis(a, List.of("http-5xx-after-deploy"), List.of(noChange("deploy/rollback", START), errors), List.of(), null,
                List.of(), null, List.of());
    }

    /** Alertmanager's clock 10 min ahead of ours: the alert "started" after we received it. */
    static Diagnosis skewed() {
        AlertGroup g = new AlertGroup(1, 0, Map.of(), 600, START.plusSeconds(600));
        AlertContext a = alert("HighErrorRate on checkout", "checkout", "errors", START, NOW, g);
        return new Diagnosis(a, List.of("http-5xx-after-deploy"), List.of(noChange("deploy/rollback", START), metric("errors", START, 0.001,
                0.0011, false)), List.of(), null, List.of(), null, List.of());
    }

    static Diagnosis datasourceError() {
        AlertContext a = new AlertContext("DatasourceError", Map.of("alertname", "DatasourceError", "rulename", "Checkout latency",
                "datasource_uid", "prom-1", "ref_id", "A"), Map.of("Error", "Post \"http://prometheus:9090/api/v1/query_range\": dial tcp"
                        + " 10.0.0.5:9090: connect: connection refused"), START, NOW, false, AlertReading.NOTHING, AlertGroup.SINGLE);
        return new Diagnosis(a, List.of(), List.of(), List.of(), null, List.of(), null, List.of());
    }

    /** Values in the order given: Map.of's order changes from one JVM run to the next, and golden files must not. */
    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static final ObjectMapper JSON = new ObjectMapper();
}
