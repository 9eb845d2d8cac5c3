package dev.rootcause.ruletest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule-test command over the shipped rules, and a deliberately wrong expectation. */
class RuleTestRunnerTest {

    @TempDir
    Path tmp;

    @Test
    void everyShippedRuleTestPasses() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int failed = new RuleTestRunner(new PrintStream(out, true, StandardCharsets.UTF_8)).run(Path.of("rules"));
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(failed).as(report).isZero();
        assertThat(report).contains("PASS tests/cache-hit-rate/penetration").containsPattern("(?m)^\\d+ passed, 0 failed$");
    }

    @Test
    void wrongExpectationFailsNamingWhatDiffers() throws Exception {
        Path copy = tmp.resolve("rules");
        copyTree(Path.of("rules"), copy);
        Path expected = copy.resolve("tests/cache-hit-rate/penetration/expected.yaml");
        Files.writeString(expected, Files.readString(expected).replace("finding: cache-penetration", "finding: mass-expiry")
                .replace("mass-expiry: rules_out", "mass-expiry: supports"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int failed = new RuleTestRunner(new PrintStream(out, true, StandardCharsets.UTF_8)).run(copy);
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(failed).isEqualTo(1);
        assertThat(report).contains("FAIL tests/cache-hit-rate/penetration: root cause: expected cache-hit-rate/mass-expiry,"
                + " got cache-hit-rate/cache-penetration; finding mass-expiry: expected supports, got rules_out")
                .containsPattern("(?m)^\\d+ passed, 1 failed$");
    }

    @Test
    void causeTextAndPartialAreCheckedWhenExpected() throws Exception {
        String report = runOnCopy("tests/cache-hit-rate/eviction-maxmemory/expected.yaml",
                text -> text.replace("with allkeys-lru", "with volatile-ttl").replace("partial: false", "partial: true"));
        assertThat(report).contains("FAIL tests/cache-hit-rate/eviction-maxmemory: cause: expected it to contain"
                + " \"Redis INFO: used_memory 1.00G of maxmemory 1.00G (100%) with volatile-ttl")
                .contains("got \"Cache hit ratio of cache-a collapsed from 90% (mean over ")
                .contains("partial: expected true, got []").containsPattern("(?m)^\\d+ passed, 1 failed$");
    }

    /** Runs the rule tests on a copy of rules/ with one file edited; returns the printed report. */
    private String runOnCopy(String file, java.util.function.UnaryOperator<String> edit) throws Exception {
        Path copy = tmp.resolve("rules");
        copyTree(Path.of("rules"), copy);
        Files.writeString(copy.resolve(file), edit.apply(Files.readString(copy.resolve(file))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new RuleTestRunner(new PrintStream(out, true, StandardCharsets.UTF_8)).run(copy);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
