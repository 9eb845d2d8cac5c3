package dev.rootcause.ruletest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rootcause.alert.reading.AlertReader;
import dev.rootcause.alert.reading.Vocabulary;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.diagnosis.engine.Engine;
import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.diagnosis.engine.RuleSelection;
import dev.rootcause.diagnosis.engine.StepCatalogue;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.metrics.ConventionResolver;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.RuleException;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.rule.StepTypes;
import dev.rootcause.rule.load.RuleLoader;
import dev.rootcause.rule.load.RuleParser;
import dev.rootcause.rule.load.RuleWarnings;
import dev.rootcause.rule.vocabulary.AlertReadings;
import dev.rootcause.rule.vocabulary.SymptomVocabulary;
import dev.rootcause.support.FileMistake;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code rootcause rules test <dir>}, like {@code promtool test rules}: loads the rules in {@code <dir>}
 * and runs every test folder under {@code <dir>/tests} (any depth) that holds {@code expected.yaml}:
 * <ul>
 *   <li>{@code alert.json}: one alert ({@code labels}, {@code annotations}, {@code startsAt}, optional
 *       {@code generatorURL} whose {@code g0.expr} is read with {@code <dir>/symptoms.yaml}),
 *       {@code evaluatedAt} (the time the diagnosis ran) and optional {@code vars} (global rule vars)</li>
 *   <li>a recording file per evidence family that asks a backend ({@link RecordingFamilies}: {@code prometheus.json},
 *       {@code probes.json}, {@code redis.json}, {@code traces.json}, {@code logs.json}, {@code changes.json}); each
 *       family's replay source ({@code ruletest.replay}) says what its file holds and what its absence means
 *       (Prometheus, Redis or the change backends down; no trace or log backend; no probe can be made)</li>
 *   <li>the service catalogue {@code <dir>/tests/services.yaml}, else {@code <dir>/services.yaml} (what probes may call) and the metric conventions
 *       {@code <dir>/conventions.yaml}: steps naming a {@code signal} detect the service's convention with a
 *       recorded query, as the service does</li>
 *   <li>{@code expected.yaml}: {@code rootCause: {rule, finding, confidence, causeContains}} (causeContains:
 *       optional text, or a list, the cause must contain) or {@code rootCause: null},
 *       {@code findings: {<finding id> | <rule>/<finding id>: supports | rules_out | no_data}} (the long form
 *       when several matching rules could share a finding id), and optionally {@code partial: true|false}
 *       (whether the report must say some evidence could not be fetched) and {@code rankingNotes: [text, ...]}
 *       (each text must appear in one of the notes on why the root cause was preferred over the other
 *       supported findings; {@code []}: there must be none)</li>
 * </ul>
 * The rules that run are those the service would run ({@link RuleSelection}: by the alert's symptoms and target
 * and the rules' matchers), so a scenario where several causes
 * coexist (a deploy and a failing dependency) is one folder with the recordings of all of them.
 * Prints a line per test, then {@code N passed, N failed}. Global vars default to {@code rate_window=1m}.
 */
public final class RuleTestRunner {

    static final Map<String, String> GLOBAL_VARS = Map.of("rate_window", "1m");
    /** The verdicts an {@code expected.yaml} may name, as spelled there. */
    static final List<String> VERDICTS = java.util.Arrays.stream(Verdict.values()).map(Verdict::wire).toList();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectMapper json = JSON;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final PrintStream out;
    /** Reads each test's alert; {@link #run} sets it from {@code <dir>/symptoms.yaml}, else only pins are read. */
    private AlertReader reader = new AlertReader(Vocabulary.EMPTY, List.of());

    public RuleTestRunner(PrintStream out) {
        this.out = out;
    }

    /**
     * Reads alerts with {@code <dir>/symptoms.yaml} from now on, as {@link #run} does, for callers of
     * {@link #diagnose} alone.
     *
     * @throws dev.rootcause.support.FileMistake when the vocabulary has a mistake
     */
    RuleTestRunner readingWith(Path dir, ServiceCatalogue catalogue) {
        reader = AlertReadings.reader(SymptomVocabulary.load(dir.resolve(Vocabulary.FILE)), catalogue);
        return this;
    }

    /** @return the number of failed tests (a rule file that does not load counts as one) */
    /** {@code <dir>/tests/services.yaml} (the examples the recordings name; the live one ships empty), else {@code <dir>/services.yaml}. */
    public static Path catalogueOf(Path dir) {
        Path tests = dir.resolve("tests").resolve(ServiceCatalogue.FILE);
        return Files.exists(tests) ? tests : dir.resolve(ServiceCatalogue.FILE);
    }

    public int run(Path dir) throws IOException {
        List<Rule> rules = new ArrayList<>();
        int failed = 0;
        int passed = 0;
        ServiceCatalogue catalogue;
        try {
            catalogue = ServiceCatalogue.load(catalogueOf(dir));
        } catch (RuleException e) {
            out.println("FAIL " + e.getMessage());
            catalogue = ServiceCatalogue.empty();
            failed++;
        }
        MetricConventions conventions;
        try {
            conventions = MetricConventions.load(dir.resolve(MetricConventions.FILE));
        } catch (RuleException e) {
            out.println("FAIL " + e.getMessage());
            conventions = MetricConventions.empty();
            failed++;
        }
        java.util.Set<String> readable = Set.of();
        try {
            SymptomVocabulary vocabulary = SymptomVocabulary.load(dir.resolve(Vocabulary.FILE));
            reader = AlertReadings.reader(vocabulary, catalogue);
            readable = RuleLoader.readable(vocabulary.current());
        } catch (FileMistake e) {
            out.println("FAIL " + e.getMessage());
            failed++;
        }
        StepTypes stepTypes = new RegisteredStepTypes(stepRunners(catalogue, conventions));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(RuleLoader::isRuleFile).sorted().toList()) {
                try {
                    Rule rule = RuleParser.parseFile(f, f.getFileName().toString(), stepTypes, GLOBAL_VARS.keySet());
                    var unreadable = RuleWarnings.unreadable(rule, readable, 1);
                    if (unreadable.isPresent()) {
                        throw new RuleException(unreadable.get());
                    }
                    RuleWarnings.of(rule).forEach(w -> out.println("WARN " + w));
                    rules.add(rule);
                } catch (RuleException e) {
                    out.println("FAIL " + e.getMessage());
                    failed++;
                }
            }
        }
        List<Path> tests;
        Path testsDir = dir.resolve("tests");
        try (Stream<Path> walk = Files.isDirectory(testsDir) ? Files.walk(testsDir) : Stream.empty()) {
            // a test folder: one that holds any of its files; one missing expected.yaml fails, never skips
            Set<String> names = new HashSet<>(RecordingFamilies.files());
            names.addAll(Set.of("expected.yaml", "expected.yml", "alert.json"));
            tests = walk.filter(p -> names.contains(p.getFileName().toString())).map(Path::getParent).distinct().sorted().toList();
        }
        for (Path test : tests) {
            String name = dir.relativize(test).toString();
            List<String> problems = check(test, rules, catalogue, conventions);
            if (problems.isEmpty()) {
                out.println("PASS " + name);
                passed++;
            } else {
                out.println("FAIL " + name + ": " + String.join("; ", problems));
                failed++;
            }
        }
        if (tests.isEmpty()) {
            out.println("FAIL no tests under " + testsDir);
            failed++;
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed;
    }

    private List<String> check(Path test, List<Rule> rules, ServiceCatalogue catalogue, MetricConventions conventions) {
        List<String> problems = new ArrayList<>();
        if (!Files.exists(test.resolve("expected.yaml"))) {
            return List.of("no expected.yaml in this folder" + (Files.exists(test.resolve("expected.yml")) ? " (found expected.yml)" : ""));
        }
        try {
            JsonNode expected = yaml.readTree(test.resolve("expected.yaml").toFile());
            Diagnosis d = diagnose(test, test, rules, catalogue, conventions);
            compareRootCause(expected.get("rootCause"), d, problems);
            if (expected.has("partial") && expected.get("partial").asBoolean() != !d.partial().isEmpty()) {
                problems.add("partial: expected " + expected.get("partial").asBoolean() + ", got " + d.partial());
            }
            Map<String, Verdict> verdicts = new HashMap<>();
            d.findings().forEach(f -> {
                verdicts.put(f.id(), f.verdict());
                verdicts.put(f.name(), f.verdict());
            });
            Expectations.rankingNotes(expected.get("rankingNotes"), d, problems);
            expected.path("findings").properties().forEach(e -> {
                Verdict got = verdicts.get(e.getKey());
                if (!VERDICTS.contains(e.getValue().asText())) {
                    problems.add("finding " + e.getKey() + ": " + e.getValue().asText() + " is not a verdict (" + VERDICTS + ")");
                } else if (got == null) {
                    problems.add("finding " + e.getKey() + ": no such finding in the rules that ran (" + verdicts.keySet() + ")");
                } else if (Verdict.of(e.getValue().asText()) != got) {
                    problems.add("finding " + e.getKey() + ": expected " + e.getValue().asText() + ", got " + got
                            + reason(d, e.getKey()));
                }
            });
        } catch (IOException | RuntimeException e) {
            problems.add("cannot run: " + e.getMessage());
        }
        return problems;
    }

    /**
     * The diagnosis of a test folder's alert, as the service would make it: every matching rule, run against
     * the recordings in {@code recordings} (the test folder itself, or an export of it).
     *
     * @throws IOException when {@code alert.json} or a recording cannot be read
     */
    Diagnosis diagnose(Path test, Path recordings, List<Rule> rules, ServiceCatalogue catalogue, MetricConventions conventions)
            throws IOException {
        JsonNode alert = json.readTree(test.resolve("alert.json").toFile());
        Map<String, String> labels = strings(alert.get("labels"));
        Map<String, String> annotations = strings(alert.get("annotations"));
        AlertContext context = new AlertContext("rule test " + test.getFileName(), labels, annotations,
                Instant.parse(alert.path("startsAt").asText()), Instant.parse(alert.path("evaluatedAt").asText()),
                false, reader.read(labels, annotations, alert.hasNonNull("generatorURL") ? alert.get("generatorURL").asText() : null));
        RuleSelection selection = RuleSelection.of(rules, context);
        Map<String, String> vars = new HashMap<>(GLOBAL_VARS);
        vars.putAll(strings(alert.get("vars")));
        try (Engine engine = new Engine(StepCatalogue.build(ports(recordings, catalogue, conventions)), 4, Duration.ofSeconds(30))) {
            return engine.run(context, selection.rules(), vars, selection.notRun(), selection.unselectedLayers(), Engine.Request.BACKGROUND);
        }
    }

    /** The step types a rule test can run: the service's ({@link StepCatalogue}), over no recordings. */
    static List<StepRunner> stepRunners(ServiceCatalogue catalogue, MetricConventions conventions) throws IOException {
        return StepCatalogue.build(ports(null, catalogue, conventions));
    }

    /** The ports of a test folder (null: of none): each family's recording ({@link RecordingFamilies}). */
    private static StepPorts ports(Path test, ServiceCatalogue catalogue, MetricConventions conventions) throws IOException {
        StepPorts ports = RecordingFamilies.replay(test, JSON, new StepPorts(null, null, null, null, null, catalogue, null, List::of));
        // a fresh resolver per test: detection is never cached across recordings
        return ports.withMetrics(ports.metrics(), new ConventionResolver(ports.metrics(), conventions, catalogue,
                java.time.Clock.systemUTC(), Duration.ofMinutes(10)));
    }

    private static void compareRootCause(JsonNode expected, Diagnosis d, List<String> problems) {
        var rc = d.rootCause();
        if (expected == null || expected.isNull()) {
            if (rc != null) {
                problems.add("root cause: expected none, got " + rc.rule() + "/" + rc.finding());
            }
            return;
        }
        if (rc == null) {
            problems.add("root cause: expected " + expected.path("finding").asText() + ", got none");
            return;
        }
        String want = expected.path("rule").asText(rc.rule()) + "/" + expected.path("finding").asText();
        if (!want.equals(rc.rule() + "/" + rc.finding())) {
            problems.add("root cause: expected " + want + ", got " + rc.rule() + "/" + rc.finding());
        }
        if (expected.has("confidence") && !expected.get("confidence").asText().equals(rc.confidence().wire())) {
            problems.add("confidence: expected " + expected.get("confidence").asText() + ", got " + rc.confidence());
        }
        for (JsonNode part : expected.path("causeContains").isArray() ? expected.get("causeContains")
                : List.of(expected.path("causeContains"))) {
            if (!part.isMissingNode() && !rc.summary().contains(part.asText())) {
                problems.add("cause: expected it to contain \"" + part.asText() + "\", got \"" + rc.summary() + "\"");
            }
        }
    }

    private static String reason(Diagnosis d, String finding) {
        return d.findings().stream().filter(f -> (f.id().equals(finding) || f.name().equals(finding)) && f.reason() != null).findFirst()
                .map(Finding::reason).map(r -> " (" + r + ")").orElse("");
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new HashMap<>();
        if (node != null) {
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
