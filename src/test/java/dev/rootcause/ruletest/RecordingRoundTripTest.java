package dev.rootcause.ruletest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.rule.StepTypes;
import dev.rootcause.rule.load.RuleLoader;
import dev.rootcause.rule.load.RuleParser;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record → export → replay gives the same evidence, for every evidence kind: each shipped rule test is
 * diagnosed from its recordings, the answers its steps recorded are stored as the report store stores them
 * and exported through the registry, and the exported folder replayed gives the same evidence again.
 */
class RecordingRoundTripTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path RULES = Path.of("rules");
    static ServiceCatalogue catalogue;
    static MetricConventions conventions;
    static List<Rule> rules = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadRules() throws Exception {
        catalogue = ServiceCatalogue.load(RuleTestRunner.catalogueOf(RULES));
        conventions = MetricConventions.load(RULES.resolve(MetricConventions.FILE));
        StepTypes types = new RegisteredStepTypes(RuleTestRunner.stepRunners(catalogue, conventions));
        try (Stream<Path> files = Files.list(RULES)) {
            for (Path f : files.filter(RuleLoader::isRuleFile).sorted().toList()) {
                rules.add(RuleParser.parseFile(f, f.getFileName().toString(), types, RuleTestRunner.GLOBAL_VARS.keySet()));
            }
        }
    }

    @Test
    void everyShippedTestReplaysTheSameFromItsExport() throws Exception {
        RuleTestRunner runner = new RuleTestRunner(new PrintStream(PrintStream.nullOutputStream())).readingWith(RULES, catalogue);
        Set<String> exportedFiles = new HashSet<>();
        Set<String> recordedKinds = new HashSet<>();
        List<Path> tests;
        try (Stream<Path> walk = Files.walk(RULES.resolve("tests"))) {
            tests = walk.filter(p -> p.getFileName().toString().equals("expected.yaml")).map(Path::getParent).sorted().toList();
        }
        assertThat(tests).hasSizeGreaterThan(50);
        for (Path test : tests) {
            Diagnosis recorded = runner.diagnose(test, test, rules, catalogue, conventions);
            List<Evidence.Recorded> answers = recorded.evidence().stream().flatMap(e -> e.recorded().stream()).toList();
            answers.forEach(a -> recordedKinds.add(a.capability()));
            // stored as ReportStore stores the recordings column, then exported as the HTTP export does
            JsonNode stored = JSON.readTree(JSON.writeValueAsString(answers));
            Path exported = Files.createDirectories(tmp.resolve(RULES.relativize(test).toString()));
            for (Map.Entry<String, JsonNode> file : RecordingFamilies.export(stored, JSON).entrySet()) {
                Files.writeString(exported.resolve(file.getKey()), JSON.writeValueAsString(file.getValue()));
                exportedFiles.add(file.getKey());
            }
            Diagnosis replayed = runner.diagnose(test, exported, rules, catalogue, conventions);
            assertThat(untimed(replayed.evidence())).as(test.toString()).containsExactlyInAnyOrderElementsOf(untimed(recorded.evidence()));
            assertThat(replayed.findings()).as(test.toString()).isEqualTo(recorded.findings());
            assertThat(replayed.rootCause()).as(test.toString()).isEqualTo(recorded.rootCause());
        }
        Set<String> families = new HashSet<>(RecordingFamilies.ALL.stream().map(RecordingFamily::kind).toList());
        assertThat(recordedKinds).as("kinds the shipped tests record").isEqualTo(families);
        assertThat(exportedFiles).as("files the exports wrote").isEqualTo(RecordingFamilies.files());
    }

    @Test
    void theZipHoldsTheAlertEveryFamilysFileAndTheExpectation() throws Exception {
        Path test = RULES.resolve("tests/cache-hit-rate/penetration-with-logs");
        Diagnosis d = new RuleTestRunner(new PrintStream(PrintStream.nullOutputStream())).readingWith(RULES, catalogue)
                .diagnose(test, test, rules, catalogue, conventions);
        JsonNode stored = JSON.readTree(JSON.writeValueAsString(d.evidence().stream().flatMap(e -> e.recorded().stream()).toList()));
        JsonNode context = JSON.readTree("{\"labels\": {\"alertname\": \"CacheHitRateLow\"}, \"annotations\": {},"
                + " \"startsAt\": \"2025-11-29T10:00:00Z\", \"now\": \"2025-11-29T10:05:00Z\"}");
        JsonNode findings = new ObjectMapper().findAndRegisterModules().valueToTree(d.findings());
        byte[] zip = new IncidentExport(JSON, Map.of("rate_window", "1m"))
                .zip(7, new IncidentExport.Diagnosed(context, stored, findings, d.rootCause() == null ? null : d.rootCause().summary()));
        Map<String, String> entries = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries.keySet()).contains("incident-7/alert.json", "incident-7/prometheus.json", "incident-7/redis.json",
                "incident-7/logs.json", "incident-7/expected.yaml");
        assertThat(JSON.readTree(entries.get("incident-7/alert.json")).path("vars").path("rate_window").asText()).isEqualTo("1m");
        assertThat(entries.get("incident-7/expected.yaml")).startsWith("# exported from incident 7").contains("findings:");
    }

    /** The evidence without the walk's own timings ({@code wall_ms}, {@code backend_ms}), which no replay repeats. */
    private static List<Evidence> untimed(List<Evidence> evidence) {
        return evidence.stream().map(e -> {
            if (!e.values().containsKey("wall_ms") && !e.values().containsKey("backend_ms")) {
                return e;
            }
            Map<String, Object> values = new java.util.LinkedHashMap<>(e.values());
            values.remove("wall_ms");
            values.remove("backend_ms");
            return new Evidence(e.step(), e.type(), e.kind(), e.source(), e.query(), e.windowStart(), e.windowEnd(), e.status(),
                    e.reason(), values, e.link(), e.recorded());
        }).toList();
    }
}
