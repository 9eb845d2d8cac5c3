package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link PromBackfill} against the real promtool and Prometheus: two hours of history written in the past
 * answer PromQL with the rates the test put in, and bad input is refused before promtool runs.
 */
class PromBackfillIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void backfilledCountersAnswerTheRatesWrittenInThePast() throws Exception {
        long now = Instant.now().getEpochSecond();
        long start = now - 7200;
        long deploy = now - 3600;
        var backfill = new PromBackfill();
        double ok = 0;
        double errors = 0;
        for (long t = start; t <= now; t += 15) {
            ok += 15 * 10.0; // 10 req/s of 200 throughout
            errors += 15 * (t < deploy ? 0.1 : 2.0); // 5xx: 0.1/s before the deploy, 2/s after
            backfill.sample("http_requests_total", Map.of("service", "checkout", "code", "200"), t, ok);
            backfill.sample("http_requests_total", Map.of("service", "checkout", "code", "500"), t, errors);
        }
        assertThat(backfill.size()).isEqualTo(2 * 481);
        Path dir = Path.of("target/prom-backfill-it").toAbsolutePath();
        Path blocks = backfill.writeBlocks(dir);
        try (var prometheus = PromBackfill.startPrometheus(blocks, dir.resolve("prometheus"))) {
            String ratio = "sum(rate(http_requests_total{service=\"checkout\",code=~\"5..\"}[5m]))"
                    + " / sum(rate(http_requests_total{service=\"checkout\"}[5m]))";
            assertThat(instant(prometheus.url(), ratio, deploy - 1800)).isCloseTo(0.1 / 10.1, within(1e-6));
            assertThat(instant(prometheus.url(), ratio, deploy + 1800)).isCloseTo(2.0 / 12.0, within(1e-6));
            // up to the last sample written, about now
            assertThat(instant(prometheus.url(), ratio, now)).isCloseTo(2.0 / 12.0, within(1e-6));
        }
    }

    @Test
    void invalidNamesAreRefusedBeforePromtoolRuns() {
        var backfill = new PromBackfill();
        assertThatThrownBy(() -> backfill.sample("http.requests", Map.of(), 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http.requests");
        assertThatThrownBy(() -> backfill.sample("ok", Map.of("bad-label", "x"), 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad-label");
        assertThatThrownBy(() -> new PromBackfill().writeBlocks(Path.of("target/prom-backfill-empty")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no samples");
    }

    @Test
    void labelValuesAreEscapedTheOpenMetricsWay() {
        String text = new PromBackfill().sample("m", Map.of("path", "a\"b\\c\nd"), 100, 1.5).openMetrics();
        assertThat(text).isEqualTo("# TYPE m unknown\nm{path=\"a\\\"b\\\\c\\nd\"} 1.5 100\n# EOF\n");
    }

    private double instant(String base, String query, long time) throws Exception {
        String url = base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + time;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode result = json.readTree(r.body()).path("data").path("result");
        assertThat(result.size()).as("one series for %s at %d: %s", query, time, r.body()).isEqualTo(1);
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }
}
