package dev.rootcause.ruletest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped SkyWalking rule's tests (rules/tests/skywalking-service/*, written by
 * scripts/make-skywalking-rule-tests.py) pass with every shipped rule loaded, as {@code rules test rules} runs them in
 * CI: a SkyWalking alarm read from its MQE expression, Prometheus absent, the OAP's MQE answers replayed from
 * skywalking.json, the topology from graph.json and, in slow-downstream-traced, SkyWalking's traces (as
 * source/skywalking/SkyWalkingTraces maps them) from traces.json; GraphQL errors conclude nothing.
 */
class SkyWalkingRuleTestsTest {

    @TempDir
    Path dir;

    @Test
    void theSkyWalkingRuleTestsReplayToTheirRootCauses() throws IOException {
        Path rules = Path.of("rules");
        try (Stream<Path> files = Files.list(rules)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path tests = Files.createDirectories(dir.resolve("tests"));
        try (Stream<Path> walk = Files.walk(rules.resolve("tests"))) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                Path rel = rules.resolve("tests").relativize(f);
                if (rel.getNameCount() == 1 || rel.getName(0).toString().startsWith("skywalking-")) {
                    Files.createDirectories(tests.resolve(rel).getParent());
                    Files.copy(f, tests.resolve(rel), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int failed = new RuleTestRunner(new PrintStream(out, true, StandardCharsets.UTF_8)).run(dir);
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(failed).as(report).isZero();
        assertThat(report).contains("PASS tests/skywalking-service/overload").contains("PASS tests/skywalking-service/failing-calls")
                .contains("PASS tests/skywalking-service/slower-at-same-load").contains("PASS tests/skywalking-service/oap-errors")
                .contains("PASS tests/skywalking-service/slow-downstream\n").contains("PASS tests/skywalking-service/slow-downstream-traced")
                .contains("6 passed");
    }
}
