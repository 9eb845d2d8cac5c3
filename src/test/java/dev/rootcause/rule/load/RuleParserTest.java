package dev.rootcause.rule.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.RuleException;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.rule.StepTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rule shipped loads; each kind of mistake is reported as file:line with what is wrong. */
class RuleParserTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final dev.rootcause.ruletest.replay.ReplayMetricsSource NO_BACKEND = new dev.rootcause.ruletest.replay.ReplayMetricsSource();
    private static final dev.rootcause.diagnosis.step.metrics.ConventionResolver CONVENTIONS = new dev.rootcause.diagnosis.step.metrics.ConventionResolver(
            NO_BACKEND, MetricConventions.load(Path.of("rules/conventions.yaml")), ServiceCatalogue.empty(), java.time.Clock.systemUTC(),
            java.time.Duration.ofMinutes(10));
    private static final StepTypes TYPES = new dev.rootcause.diagnosis.engine.RegisteredStepTypes(java.util.List.of(
            new dev.rootcause.diagnosis.step.metrics.MetricsCompareStep(NO_BACKEND, CONVENTIONS),
            new dev.rootcause.diagnosis.step.metrics.MetricsQueryStep(NO_BACKEND, CONVENTIONS),
            new dev.rootcause.diagnosis.step.metrics.MetricsCompareByStep(NO_BACKEND, CONVENTIONS),
            new dev.rootcause.diagnosis.step.cache.CacheHitRatioStep(new dev.rootcause.ruletest.replay.ReplayCacheSource()),
            new dev.rootcause.diagnosis.step.traces.TracesSlowestDependencyStep((dev.rootcause.diagnosis.port.TraceSource) null),
            new dev.rootcause.diagnosis.step.traces.TracesErrorsStep((dev.rootcause.diagnosis.port.TraceSource) null),
            new dev.rootcause.diagnosis.step.logs.LogsCountStep((dev.rootcause.diagnosis.port.LogSource) null),
            new dev.rootcause.diagnosis.step.logs.LogsTopPatternsStep((dev.rootcause.diagnosis.port.LogSource) null),
            new dev.rootcause.diagnosis.step.probes.ProbeHttpStep(ServiceCatalogue.empty(), null),
            new dev.rootcause.diagnosis.step.network.NetworkPhasesStep(NO_BACKEND), new dev.rootcause.diagnosis.step.network.NetworkRetransmitsStep(NO_BACKEND),
            new dev.rootcause.diagnosis.step.metrics.MetricsRangeStep(NO_BACKEND),
            new dev.rootcause.diagnosis.step.items.ItemsCompareStep(null),
            new dev.rootcause.diagnosis.step.items.ItemsDownstreamsStep(null, null),
            new dev.rootcause.diagnosis.step.changes.ChangesLatestStep(java.util.List.of()), new dev.rootcause.diagnosis.step.changes.ChangesDiffStep(java.util.List.of()),
            new dev.rootcause.diagnosis.step.graph.GraphWalkStep(NO_BACKEND, CONVENTIONS, ServiceCatalogue.empty(), java.util.List::of, null, null)));

    private static final String GOOD = """
            id: r
            title: T
            match: ['alertname="X"']
            vars:
              service: labels.service
            steps:
              - id: a
                type: metrics.compare
                with: {query: 'up{service="$service"}'}
              - id: b
                type: metrics.query
                needs: [a]
                with: {query: 'up'}
            findings:
              - id: f
                when: 'steps.a.after > 2.0 * steps.a.before'
                cause: '{service} went from {a.before|pct} to {a.after|pct}'
                confidence: high
                cites: [a, b]
            """;

    static Rule parse(String text) throws Exception {
        return new RuleParser("r.yaml", text, TYPES, Set.of("rate_window"), YAML).parse(YAML.readTree(text));
    }

    @Test
    void goodRuleParses() throws Exception {
        Rule rule = parse(GOOD);
        assertThat(rule.steps()).extracting(Rule.Step::id).containsExactly("a", "b");
        assertThat(rule.matches(Map.of("alertname", "X"))).isTrue();
        assertThat(rule.matches(Map.of("alertname", "Y"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '§', value = {
        "unknown step type       ; type: metrics.query\\n                ; type: metrics.querry\\n  ; 11 ; unknown step type metrics.querry",
        "needs an unknown step   ; needs: [a]                           ; needs: [zz]               ; 12 ; needs zz",
        "CEL that does not compile ; steps.a.after > 2.0 *              ; steps.a.after > > 2.0 *   ; 16 ; CEL does not compile",
        "when names no step      ; steps.a.after > 2.0 * steps.a.before ; steps.q.after > 1.0       ; 16 ; steps.q",
        "cause names no step     ; {a.after|pct}                        ; {zz.after|pct}            ; 17 ; {zz.after}",
        "cause names no var      ; '{service} went                      ; '{svc} went               ; 17 ; {svc}",
        "bad matcher             ; alertname=\"X\"                      ; alertname~~X              ; 3  ; match",
        "query var unknown       ; $service                             ; $nope                     ; 9  ; $nope",
        "cites no step           ; cites: [a, b]                        ; cites: [a, zz]            ; 19 ; cites zz",
        "unknown rule key        ; title: T                             ; title: T\\nondemandd: true ; 3 ; ondemandd: unknown key",
        "unknown with key        ; with: {query: 'up'}                  ; with: {query: 'up', befor: 1h} ; 10 ; with.befor: unknown parameter",
        "negative duration       ; with: {query: 'up{service=\"$service\"}'} ; with: {query: 'up', before: -1h} ; 7 ; with.before: expected a duration",
        "no such step value      ; steps.a.after > 2.0 * steps.a.before ; steps.a.afterr > 1.0      ; 16 ; has no value afterr",
        "type mismatch           ; steps.a.after > 2.0 * steps.a.before ; steps.a.after < \"x\"   ; 16 ; when:",
        "not a boolean           ; steps.a.after > 2.0 * steps.a.before ; steps.a.after * 2.0       ; 16 ; must be true or false",
        "cause names no value    ; {a.after|pct}                        ; {a.aftr|pct}              ; 17 ; has no value aftr",
        "unknown layer           ; title: T                             ; title: T\\nlayer: database ; 3 ; layer must be one of [network, application, storage, dependency], got database",
        "unknown confidence      ; confidence: high                     ; confidence: certain       ; 18 ; finding f: confidence must be high, medium or low",
    })
    void mistakesAreReportedWithFileAndLine(String kind, String from, String to, int line, String message) {
        String broken = GOOD.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        assertThat(broken).as("the test edits the rule").isNotEqualTo(GOOD);
        assertThatThrownBy(() -> parse(broken)).isInstanceOf(RuleException.class)
                .hasMessageStartingWith("r.yaml:" + line + ": ").hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '§', value = {
        "one symptom, default target ; symptoms: [latency]                       ; [latency]            ; [service]",
        "a parent symptom and a list ; symptoms: [saturation, errors]\\ntarget: [pod, service] ; [saturation, errors] ; [pod, service]",
        "no target needed            ; symptoms: [disk]\\ntarget: none           ; [disk]               ; []",
        "tied to match alone         ; symptoms: []                              ; []                   ; [service]",
    })
    void symptomsAndTargetAreRead(String kind, String header, String symptoms, String target) throws Exception {
        Rule rule = parse(GOOD.replace("title: T\n", "title: T\n" + header.replace("\\n", "\n") + "\n"));
        assertThat(rule.symptoms()).as(kind).hasToString(symptoms);
        assertThat(rule.target()).as(kind).hasToString(target);
        assertThat(RuleWarnings.of(rule)).as(kind).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '§', value = {
        "badly spelt symptom   ; symptoms: [Latency]                  ; 3 ; symptoms: symptom 'Latency': expected lower-case words",
        "symptoms not a list   ; symptoms: latency                    ; 3 ; symptoms: expected a list",
        "unknown target kind   ; symptoms: [latency]\\ntarget: host   ; 4 ; target: expected one of [service, pod, container, namespace, node, instance], a list of them, or none, got host",
        "pinned without match  ; symptoms: []\\nmatch: []             ; 3 ; symptoms: [] ties the rule to alerts by match: alone",
        "target of no kind     ; symptoms: [latency]                  ; 6 ; vars.svc: target.host is not a kind of target",
    })
    void symptomAndTargetMistakesAreReportedWithFileAndLine(String kind, String header, int line, String message) {
        String broken = GOOD.replace("match: ['alertname=\"X\"']\n", header.replace("\\n", "\n") + "\n")
                .replace("  service: labels.service\n", "  service: labels.service\n" + (kind.startsWith("target of") ? "  svc: target.host\n" : ""));
        assertThat(broken).as("the test edits the rule").isNotEqualTo(GOOD);
        assertThatThrownBy(() -> parse(broken)).as(kind).isInstanceOf(RuleException.class)
                .hasMessageStartingWith("r.yaml:" + line + ": ").hasMessageContaining(message);
    }

    @Test
    void aRuleWithOnlyMatchLoadsWithAWarningAndAnUnreadableSymptomIsAMistake() throws Exception {
        Rule legacy = parse(GOOD);
        assertThat(legacy.declaresSymptoms()).isFalse();
        assertThat(legacy.target()).isEmpty();
        assertThat(RuleWarnings.of(legacy)).singleElement().asString()
                .startsWith("r.yaml: rule r declares no symptoms").contains("symptoms: [latency, errors]");
        Rule odd = parse(GOOD.replace("title: T\n", "title: T\nsymptoms: [kafka.lag]\n"));
        assertThat(RuleWarnings.of(odd)).isEmpty();
        // a symptom neither built in nor read by the vocabulary is a mistake: the loader refuses the file
        assertThat(RuleWarnings.unreadable(odd, java.util.Set.of(), 3)).hasValueSatisfying(m -> assertThat(m)
                .startsWith("r.yaml:3: rule r: symptom kafka.lag is neither one the reader knows out of the box"));
        assertThat(RuleWarnings.unreadable(odd, java.util.Set.of("kafka.lag"), 3)).isEmpty();
    }

    @Test
    void schemaAgreesWithTheParser() throws Exception {
        var schema = new ObjectMapper().readTree(Path.of("rules/schema.json").toFile());
        java.util.Set<String> types = new java.util.HashSet<>();
        schema.at("/$defs/step/properties/type/enum").forEach(t -> types.add(t.asText()));
        assertThat(types).isEqualTo(TYPES.names());
        java.util.Set<String> layers = new java.util.HashSet<>();
        schema.at("/properties/layer/enum").forEach(t -> layers.add(t.asText()));
        assertThat(layers).isEqualTo(RuleParser.LAYERS);
        java.util.Set<String> confidences = new java.util.HashSet<>();
        schema.at("/$defs/finding/properties/confidence/enum").forEach(t -> confidences.add(t.asText()));
        assertThat(confidences).isEqualTo(RuleParser.CONFIDENCES);
        java.util.Set<String> keys = new java.util.HashSet<>();
        schema.at("/properties").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isEqualTo(RuleParser.RULE_KEYS);
        java.util.List<String> kinds = new java.util.ArrayList<>();
        schema.at("/properties/target/oneOf/1/items/enum").forEach(t -> kinds.add(t.asText()));
        assertThat(kinds).isEqualTo(dev.rootcause.alert.reading.Target.KINDS);
    }

    @ParameterizedTest(name = "sources: {0}")
    @CsvSource(delimiter = ';', value = {
        "[configuration]  ; with.sources: configuration is not a kind of change",
        "[]               ; with.sources: expected a non-empty list",
        "config           ; with.sources: expected a non-empty list",
    })
    void changeStepsTakeOnlyKnownKindsOfChange(String sources, String message) {
        String rule = GOOD.replace("type: metrics.query\n    needs: [a]\n    with: {query: 'up'}",
                "type: changes.latest\n    with: {service: $service, sources: " + sources + "}");
        assertThat(rule).as("the test edits the rule").isNotEqualTo(GOOD);
        assertThatThrownBy(() -> parse(rule)).isInstanceOf(RuleException.class)
                .hasMessageStartingWith("r.yaml:10: ").hasMessageContaining(message);
        String good = rule.replace("sources: " + sources, "sources: [config, flag]");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> parse(good))).isNull();
    }

    @Test
    void schemaListsTheKindsOfChange() throws Exception {
        var schema = new ObjectMapper().readTree(Path.of("rules/schema.json").toFile());
        java.util.Set<String> kinds = new java.util.HashSet<>();
        schema.at("/$defs/step/properties/with/properties/kinds/items/enum").forEach(t -> kinds.add(t.asText()));
        assertThat(kinds).isEqualTo(dev.rootcause.diagnosis.port.ChangeEvent.KINDS);
    }

    @Test
    void everyShippedRuleLoads() throws Exception {
        try (var files = Files.list(Path.of("rules"))) {
            for (Path file : files.filter(RuleLoader::isRuleFile).toList()) {
                String text = Files.readString(file);
                Rule rule = new RuleParser(file.getFileName().toString(), text, TYPES, Set.of("rate_window"), YAML)
                        .parse(YAML.readTree(text));
                assertThat(rule.findings()).as(file.toString()).isNotEmpty();
            }
        }
    }
}
