package dev.rootcause.rule.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.support.FileMistake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading symptoms.yaml: mistakes reported as file:line, the last good vocabulary kept, the schema in step. */
class SymptomVocabularyTest {

    static final String GOOD = """
            pin: rootcause_symptom
            symptoms:
              latency: slow
              errors: failing
            expression:
              - { function: histogram_quantile, metric: ".*_bucket", symptoms: [latency] }
            words:
              latency: [slow]
            """;

    @TempDir
    Path dir;

    @Test
    void mistakesNameTheirLine() {
        assertThat(mistake(GOOD + "  errors: [error]\n  cache: [cache]\n")).isEqualTo(
                "symptoms.yaml:10: symptom \"cache\" is not declared under symptoms: (known: latency, errors)");
        assertThat(mistake(GOOD.replace("metric: \".*_bucket\"", "metric: \"(.*_bucket\""))).startsWith(
                "symptoms.yaml:6: metric: not a regular expression: Unclosed group");
        assertThat(mistake(GOOD + "  - { value: \"5..\", symptoms: [errors] }\n".replace("  - {", "expression2:\n  - {"))).isEqualTo(
                "symptoms.yaml:9: expression2: unknown key (known: expression, pin, slo_labels, symptoms, target, words)");
        assertThat(mistake(GOOD.replace("symptoms: [latency] }", "symptoms: [latency], value: \"5..\" }"))).isEqualTo(
                "symptoms.yaml:6: value: only with label (it is that matcher's value)");
        assertThat(mistake(GOOD + "target:\n  pods: [pod]\n")).startsWith("symptoms.yaml:10: target: pods is not a kind of target");
        assertThat(mistake("")).startsWith("symptoms.yaml:1: the file is empty");
        assertThat(mistake("# all commented out\n")).startsWith("symptoms.yaml:1: the file is empty");
        assertThat(mistake(GOOD.replace("[slow]", "[Slow-ness]"))).isEqualTo(
                "symptoms.yaml:8: words of latency: \"Slow-ness\" must be lower-case whole words separated by spaces");
    }

    @Test
    void aMistakeKeepsTheLastGoodVocabulary() throws Exception {
        Path file = dir.resolve("symptoms.yaml");
        Files.writeString(file, GOOD);
        SymptomVocabulary v = new SymptomVocabulary(file, Clock.systemUTC());
        v.reload();
        assertThat(v.current().expression()).hasSize(1);
        Files.writeString(file, GOOD + "  cache: [cache]\n");
        assertThat(v.snapshot().errors()).isEmpty();
        v.watch();
        assertThat(v.snapshot().errors()).singleElement().asString().startsWith("symptoms.yaml:9: symptom \"cache\"")
                .endsWith("(the previous vocabulary stays in force)");
        assertThat(v.current().words()).hasSize(1);
        Files.writeString(file, GOOD.replace("[slow]", "[slow, sluggish]"));
        v.watch();
        assertThat(v.snapshot().errors()).isEmpty();
        assertThat(v.current().words().get(0).phrases()).hasSize(2);
    }

    @Test
    void aMissingFileIsAnEmptyVocabulary() {
        SymptomVocabulary v = new SymptomVocabulary(dir.resolve("none.yaml"), Clock.systemUTC());
        assertThat(v.current().expression()).isEmpty();
        assertThat(v.snapshot().errors()).isEmpty();
    }

    @Test
    void theShippedVocabularyLoadsAndTheSchemaListsTheParsersKeys() throws Exception {
        assertThat(SymptomVocabulary.load(Path.of("rules/symptoms.yaml")).current().expression()).hasSizeGreaterThan(20);
        var schema = new ObjectMapper().readTree(Path.of("rules/symptoms.schema.json").toFile());
        Set<String> top = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(top::add);
        assertThat(top).isEqualTo(new TreeSet<>(SymptomVocabularyParser.TOP_KEYS));
        Set<String> entry = new TreeSet<>();
        schema.at("/$defs/entry/properties").fieldNames().forEachRemaining(entry::add);
        assertThat(entry).isEqualTo(new TreeSet<>(SymptomVocabularyParser.ENTRY_KEYS));
    }

    private String mistake(String text) {
        try {
            SymptomVocabularyParser.parse("symptoms.yaml", text);
        } catch (FileMistake e) {
            return e.getMessage();
        }
        throw new AssertionError("no mistake found in:\n" + text);
    }

    @Test
    void notAMapping() {
        assertThatThrownBy(() -> SymptomVocabularyParser.parse("symptoms.yaml", "- a\n")).hasMessage(
                "symptoms.yaml:1: expected a mapping with pin, symptoms, expression, words, target, slo_labels");
    }
}
