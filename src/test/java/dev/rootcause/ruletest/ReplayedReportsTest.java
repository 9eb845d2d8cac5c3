package dev.rootcause.ruletest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.report.ReportOutline;
import dev.rootcause.report.ReportOutliner;
import dev.rootcause.report.render.MarkdownRenderer;
import dev.rootcause.report.render.discord.DiscordRenderer;
import dev.rootcause.report.render.jira.JiraRenderer;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.rule.load.RuleLoader;
import dev.rootcause.rule.load.RuleParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden reports from real runs: each folder under {@value #REPLAYED} is the rule-test export of an incident the
 * real-stack flows diagnosed (CacheHitRateIT, FlowSlowDownstreamIT, Flow5xxAfterDeployIT write them with
 * {@code -Drootcause.golden.record=true}: the alert with its expression, every answer Prometheus, Redis, Zipkin and the
 * change store gave, what the live diagnosis concluded), or a hand-made alert replayed with no backend (the README's
 * sample on embedded defaults: Prometheus down). The shipped rules (and the live, empty service catalogue) run over
 * the recorded answers through the real engine, at the recorded time; the live run's conclusion must come out again
 * (else the recording is stale: re-record), and every renderer's output must equal its golden file in
 * {@code src/test/resources/report/golden/} ({@code <name>.md}, {@code .jira.txt}, {@code .discord.txt}; regenerate
 * with {@code -Dsnapshots.update=true} and review the diff). The replay is deterministic (times are the recorded ones,
 * the incident id is fixed at 7) except what the walk measures of itself while replaying ({@code wall_ms},
 * {@code backend_ms}), which is masked ({@link #masked}); query text is compared as sent.
 */
class ReplayedReportsTest {

    static final Path REPLAYED = Path.of("src/test/resources/report/replayed");
    static final Path GOLDEN = Path.of("src/test/resources/report/golden");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<Rule> rules;
    private static ServiceCatalogue catalogue;
    private static MetricConventions conventions;

    @BeforeAll
    static void load() throws Exception {
        Path dir = Path.of("rules");
        catalogue = ServiceCatalogue.load(dir.resolve(ServiceCatalogue.FILE)); // the live catalogue, shipped empty
        conventions = MetricConventions.load(dir.resolve(MetricConventions.FILE));
        var types = new RegisteredStepTypes(RuleTestRunner.stepRunners(catalogue, conventions));
        rules = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(RuleLoader::isRuleFile).sorted().toList()) {
                rules.add(RuleParser.parseFile(f, f.getFileName().toString(), types, RuleTestRunner.GLOBAL_VARS.keySet()));
            }
        }
    }

    static Stream<String> recorded() throws IOException {
        try (Stream<Path> s = Files.list(REPLAYED)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recorded")
    void theRealRunsReportReplaysToItsGoldenFiles(String name) throws Exception {
        Path folder = REPLAYED.resolve(name);
        Diagnosis d = new RuleTestRunner(new PrintStream(PrintStream.nullOutputStream())).readingWith(Path.of("rules"), catalogue)
                .diagnose(folder, folder, rules, catalogue, conventions);
        JsonNode expected = YAML.readTree(folder.resolve("expected.yaml").toFile());
        JsonNode root = expected.get("rootCause");
        assertThat(d.rootCause() == null ? null : d.rootCause().rule() + "/" + d.rootCause().finding())
                .as("%s: the live run's root cause (stale recording? re-record with -Drootcause.golden.record=true)", name)
                .isEqualTo(root == null || root.isNull() ? null : root.path("rule").asText() + "/" + root.path("finding").asText());
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (Finding f : d.findings()) {
            verdicts.put(f.id(), f.verdict().wire());
        }
        expected.path("findings").properties().forEach(e -> assertThat(verdicts.get(e.getKey()))
                .as("%s: finding %s as the live run judged it", name, e.getKey()).isEqualTo(e.getValue().asText()));

        var labels = d.alert().labels();
        String title = labels.getOrDefault("alertname", "alert") + (labels.containsKey("service") ? " " + labels.get("service") : "");
        ReportOutline o = ReportOutliner.outline(title, labels.get("severity"), 7L, d);
        Map<String, String> files = new LinkedHashMap<>();
        files.put(name + ".md", MarkdownRenderer.render(o));
        // the whole wiki text, uncut: what Jira receives as description and continuation comments (JiraDescription);
        // a cut at 32,767 characters would land where the walk's own timings (wall_ms) happen to put it
        files.put(name + ".jira.txt", JiraRenderer.wikiParts(o, "", Integer.MAX_VALUE).get(0));
        files.put(name + ".discord.txt", dev.rootcause.report.render.GoldenText.discord(DiscordRenderer.render(o)));
        for (Map.Entry<String, String> f : files.entrySet()) {
            f.setValue(masked(f.getValue()));
            Path path = GOLDEN.resolve(f.getKey());
            if (Boolean.getBoolean("snapshots.update")) {
                Files.writeString(path, f.getValue());
            }
            assertThat(f.getValue()).as("%s (regenerate with -Dsnapshots.update=true and review the diff)", path)
                    .isEqualTo(Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "(no golden file)");
        }
    }

    /**
     * What changes from one replay to the next: only the walk's own timings ({@code wall_ms}, {@code backend_ms}, measured
     * while replaying). Query text is not masked: every query is built from the alert, the rule's vars and the recorded
     * answers, and the walk sends its level queries one after another in graph order (LinkedHashMap/sorted callers), so
     * replays agree to the byte (checked over five consecutive replays when the mask was dropped).
     */
    static String masked(String report) {
        return report.replaceAll("\\b(wall\\\\?_ms|backend\\\\?_ms) = \\d+", "$1 = <ms>");
    }
}
