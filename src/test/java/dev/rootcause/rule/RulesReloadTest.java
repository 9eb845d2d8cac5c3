package dev.rootcause.rule;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rules are picked up without a restart; a broken edit is reported as file:line and the last good version stays. */
@QuarkusTest
@TestProfile(RulesReloadTest.Dir.class)
class RulesReloadTest {

    static final Path DIR = Path.of("target/rules-reload-test");

    public static class Dir implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(DIR);
                try (var files = Files.list(DIR)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("rootcause.rules.dir", DIR.toString(), "rootcause.rules.reload-interval", "1s");
        }
    }

    static final String GOOD = """
            id: reload-me
            title: Version VERSION
            match: ['alertname="X"']
            steps:
              - id: a
                type: metrics.query
                with: {query: 'up'}
            findings:
              - id: f
                when: 'steps.a.value > 0.0'
                cause: 'up is {a.value}'
                cites: [a]
            """;

    @BeforeEach
    void goodVersionOne() throws IOException {
        Files.writeString(DIR.resolve("reload.yaml"), GOOD.replace("VERSION", "1"));
        awaitRules(l -> title(l).equals("Version 1") && l.get("errors").isEmpty());
    }

    @Test
    void editsArePickedUpWithoutRestart() throws IOException {
        Files.writeString(DIR.resolve("reload.yaml"), GOOD.replace("VERSION", "2"));
        awaitRules(l -> title(l).equals("Version 2"));
        Files.writeString(DIR.resolve("other.yaml"), GOOD.replace("reload-me", "other").replace("VERSION", "9"));
        JsonNode listing = awaitRules(l -> l.get("rules").size() == 2);
        assertThat(listing.at("/rules/0/steps/0").asText()).isEqualTo("a (metrics.query)");
        Files.delete(DIR.resolve("other.yaml"));
        awaitRules(l -> l.get("rules").size() == 1);
    }

    @Test
    void aNewFileClaimingAnIdInForceIsLeftOut() throws IOException {
        Files.writeString(DIR.resolve("aa-first-by-name.yaml"), GOOD.replace("VERSION", "impostor"));
        JsonNode listing = awaitRules(l -> !l.get("errors").isEmpty());
        assertThat(listing.at("/errors/0").asText())
                .isEqualTo("aa-first-by-name.yaml:1: rule id \"reload-me\" is already used by reload.yaml; this file is left out");
        assertThat(title(listing)).isEqualTo("Version 1");
        Files.delete(DIR.resolve("aa-first-by-name.yaml"));
        awaitRules(l -> l.get("errors").isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '§', value = {
        "YAML syntax             ; match: ['alertname=\"X\"']   ; match: ['alertname=\"X\"'    ; 3",
        "unknown step type       ; type: metrics.query         ; type: metrics.nope           ; 6",
        "needs unknown step      ; type: metrics.query         ; type: metrics.query\\n    needs: [zz] ; 7",
        "needs cycle             ; type: metrics.query         ; type: metrics.query\\n    needs: [a] ; 7",
        "CEL does not compile    ; steps.a.value > 0.0         ; steps.a.value >> 0.0         ; 10",
        "template var missing    ; {a.value}                   ; {b.value}                    ; 11",
        "missing title           ; title: Version VERSION        ; # no title                   ; 1",
        "unreadable symptom      ; title: Version VERSION        ; title: Version VERSION\\nsymptoms: [nonsense] ; 3",
    })
    void brokenEditIsReportedAndTheLastGoodVersionStays(String kind, String from, String to, int line) throws IOException {
        String broken = GOOD.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n")).replace("VERSION", "bad");
        assertThat(broken).isNotEqualTo(GOOD.replace("VERSION", "bad"));
        Files.writeString(DIR.resolve("reload.yaml"), broken);
        JsonNode listing = awaitRules(l -> !l.get("errors").isEmpty());
        assertThat(listing.at("/errors/0").asText()).startsWith("reload.yaml:" + line + ": ")
                .endsWith("(the previous version of this file stays in force)");
        assertThat(title(listing)).as("still the last good version").isEqualTo("Version 1");
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aVocabularyMistakeIsAnErrorInTheListingAndReadinessAndKeepsTheLastGoodVocabulary() throws IOException {
        Path vocabulary = DIR.resolve("symptoms.yaml");
        try {
            Files.writeString(vocabulary, "");
            JsonNode listing = awaitRules(l -> !l.get("errors").isEmpty());
            assertThat(listing.at("/errors/0").asText()).startsWith("symptoms.yaml:1: the file is empty");
            assertThat(title(listing)).isEqualTo("Version 1");
            given().get("/q/health/ready").then().statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("symptoms.yaml:1: the file is empty"));
        } finally {
            Files.deleteIfExists(vocabulary);
        }
        awaitRules(l -> l.get("errors").isEmpty());
    }

    private static String title(JsonNode listing) {
        return StreamSupport.stream(listing.get("rules").spliterator(), false)
                .filter(r -> r.get("id").asText().equals("reload-me")).map(r -> r.get("title").asText()).findFirst().orElse("");
    }

    private static JsonNode awaitRules(java.util.function.Predicate<JsonNode> condition) {
        return await().atMost(Api.DEADLINE).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> Api.read(given().get("/api/v1/rules").then().statusCode(200).extract().asString()), condition::test);
    }
}
