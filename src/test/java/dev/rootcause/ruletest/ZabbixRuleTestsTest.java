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
 * The shipped Zabbix rules' tests (rules/tests/zabbix-*, written by scripts/make-zabbix-rule-tests.py) pass with
 * every shipped rule loaded, as {@code rules test rules} runs them in CI: a Zabbix problem read from its trigger
 * expression, Prometheus absent, the item history replayed from zabbix.json.
 */
class ZabbixRuleTestsTest {

    @TempDir
    Path dir;

    @Test
    void theZabbixRuleTestsPass() throws IOException {
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
                if (rel.getNameCount() == 1 || rel.getName(0).toString().startsWith("zabbix-")) {
                    Files.createDirectories(tests.resolve(rel).getParent());
                    Files.copy(f, tests.resolve(rel), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int failed = new RuleTestRunner(new PrintStream(out, true, StandardCharsets.UTF_8)).run(dir);
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(failed).as(report).isZero();
        assertThat(report).contains("PASS tests/zabbix-host-network/loss-rose").contains("PASS tests/zabbix-host-resources/disk-full")
                .contains("5 passed");
    }
}
