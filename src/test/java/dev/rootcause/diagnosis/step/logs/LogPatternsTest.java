package dev.rootcause.diagnosis.step.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.port.LogSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogPatternsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Cache miss for key 123|Cache miss for key <num>",
        "Cache miss for key user:456|Cache miss for key user:<num>",
        "request 3f2a9c1e-5b7d-4e8a-9c0b-1d2e3f4a5b6c failed after 250ms|request <uuid> failed after <num>",
        "connect to 10.0.0.51:8080 refused|connect to <ip> refused",
        "conn from fe80::1:2:3 dropped|conn from <ip> dropped",
        "trace 4bf92f3577b34da6a3ce929d0e0e4736 span 0x1f|trace <hex> span <hex>",
        "2024-05-14T09:04:44.731Z retry 3 of 5|<ts> retry <num> of <num>",
        "{\"level\":\"ERROR\",\"msg\":\"charge failed: upstream 503\",\"attempt\":3}|charge failed: upstream <num>",
    })
    void variablePartsAreNormalised(String line, String pattern) {
        assertThat(LogPatterns.normalise(line)).isEqualTo(pattern);
    }

    @Test
    void linesDifferingOnlyInIdsAreOnePatternWithCountExampleAndTheCommonestClient() {
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        List<LogSource.Line> lines = List.of(
                new LogSource.Line(t, Map.of(), "level=warn msg=\"Cache miss for key 123\" client=batch-importer"),
                new LogSource.Line(t, Map.of(), "level=warn msg=\"Cache miss for key 456\" client=batch-importer"),
                new LogSource.Line(t, Map.of(), "level=warn msg=\"Cache miss for key 789\" client=web"),
                new LogSource.Line(t, Map.of("client", "web"), "java.net.SocketTimeoutException: Read timed out\n\tat x.y(Z.java:12)"));
        List<LogPatterns.Group> top = LogPatterns.top(lines, 5, "client");
        assertThat(top).hasSize(2);
        assertThat(top.get(0).pattern()).isEqualTo("Cache miss for key <num>");
        assertThat(top.get(0).count()).isEqualTo(3);
        assertThat(top.get(0).byCount()).isEqualTo(2);
        assertThat(top.get(0).by()).isEqualTo("batch-importer");
        assertThat(top.get(0).example()).contains("key 123");
        assertThat(top.get(1).pattern()).isEqualTo("java.net.SocketTimeoutException: Read timed out");
    }
}
