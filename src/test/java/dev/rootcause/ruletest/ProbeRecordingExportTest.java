package dev.rootcause.ruletest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.diagnosis.step.probes.ProbeHttpStep;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.ruletest.replay.ReplayHttpProber;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A diagnosis' dependency probes export as {@code probes.json} that the rule-test replay reads back the same. */
class ProbeRecordingExportTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void probesRoundTripThroughTheExport(@TempDir Path dir) throws Exception {
        var failing = new HttpProber.ProbeResult("payment", "http://p/health", HttpProber.Outcome.UNHEALTHY, 503, 8.5, 2, "HTTP 503: down");
        List<Evidence.Recorded> recorded = List.of(
                new Evidence.Recorded("up", List.of(Map.of("metric", Map.of(), "values", List.of())), "prometheus"),
                ProbeHttpStep.recorded(failing));
        // stored as ReportStore stores recordings, then exported
        var stored = JSON.readTree(JSON.writeValueAsString(recorded));
        var probes = RecordingFamilies.export(stored, JSON).get("probes.json");
        assertThat(probes).hasSize(1);
        Path file = dir.resolve("probes.json");
        Files.writeString(file, JSON.writeValueAsString(probes));
        var replayed = new ReplayHttpProber(file, JSON).probe(new ServiceCatalogue.Dependency("payment", URI.create("http://p/health"),
                Duration.ofSeconds(1), 1)).get(5, TimeUnit.SECONDS);
        assertThat(replayed).isEqualTo(failing);
    }

    @Test
    void probesStoredWithTheirOldTagStillExport() throws Exception {
        // reports stored before families were named tagged probe answers "probes" and Prometheus answers not at all
        var stored = JSON.readTree("[{\"query\": \"up\", \"series\": []},"
                + " {\"query\": \"http://p/health\", \"series\": [{\"url\": \"http://p/health\", \"outcome\": \"healthy\"}],"
                + " \"capability\": \"probes\"}]");
        var files = RecordingFamilies.export(stored, JSON);
        assertThat(files.keySet()).containsExactly("prometheus.json", "probes.json");
        assertThat(files.get("prometheus.json").get(0).path("query").asText()).isEqualTo("up");
        assertThat(files.get("probes.json").get(0).path("url").asText()).isEqualTo("http://p/health");
    }
}
