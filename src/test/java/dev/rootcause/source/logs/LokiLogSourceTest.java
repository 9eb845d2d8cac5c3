package dev.rootcause.source.logs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.step.logs.LogsCountStep;
import dev.rootcause.diagnosis.step.logs.LogsTopPatternsStep;
import dev.rootcause.rule.Rule;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract of the log backends against WireMock: the outgoing request (path, params, LogQL escaping, auth
 * header), streams and matrix answers, Loki's limits, and every failure as evidence. A {@code @QuarkusTest}
 * because SmallRye Fault Tolerance's {@code Guard} needs its CDI implementation.
 */
@QuarkusTest
class LokiLogSourceTest {

    static final Instant AT = Instant.parse("2024-05-14T09:00:00Z");
    static final Instant NOW = Instant.parse("2024-05-14T09:10:00Z");
    static final String SECRET = "loki-s3cret";
    static WireMockServer wm;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
    }

    @AfterAll
    static void stop() {
        wm.stop();
    }

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    record Config(URI url, Duration timeout, int maxRetries, Duration maxRetryAfter, Optional<String> token,
            Optional<String> username, Optional<String> password, Optional<String> orgId, Optional<String> kind,
            Duration maxQueryLength, int maxEntries, Optional<URI> uiUrl, String uiDatasource, String index,
            String timestampField, String messageField) implements LogsConfig {
    }

    static Config config(Duration maxQueryLength, int maxEntries) {
        return new Config(URI.create("http://127.0.0.1:" + wm.port()), Duration.ofMillis(2500), 2, Duration.ofSeconds(3),
                Optional.empty(), Optional.of("grafana"), Optional.of(SECRET), Optional.of("team-a"), Optional.of("loki"),
                maxQueryLength, maxEntries, Optional.of(URI.create("https://grafana.example")), "loki", "logs-*", "@timestamp",
                "message");
    }

    LokiLogSource loki() {
        return new LokiLogSource(config(Duration.ofHours(721), 5000), json);
    }

    static Rule.Step step(String type, Map<String, Object> with) {
        return new Rule.Step("logs", type, List.of(), with, null);
    }

    static AlertContext alert() {
        return new AlertContext("errors", Map.of("service", "checkout"), Map.of(), AT, NOW);
    }

    static String fixture(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/wiremock/loki", name));
    }

    @Test
    void topPatternsReadsStreamsWithTheQueryEscapedAndAuthSent() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/loki/api/v1/query_range")).willReturn(okJson(fixture("loki-query_range-streams.json"))));
        Evidence e = new LogsTopPatternsStep(loki()).run(step("logs.top_patterns",
                Map.of("query", "{app=\"$service\"} |~ \"$needle\" | level=\"ERROR\"", "limit", 100)), alert(),
                Map.of("service", "check\"out", "needle", "a.b(c)"), Map.of());
        assertThat(e.status()).as(e.reason()).isEqualTo(Evidence.Status.OK);
        assertThat(e.query()).isEqualTo("{app=\"check\\\"out\"} |~ \"a\\\\.b\\\\(c\\\\)\" | level=\"ERROR\"");
        wm.verify(getRequestedFor(urlPathEqualTo("/loki/api/v1/query_range"))
                .withQueryParam("query", equalTo(e.query()))
                .withQueryParam("start", equalTo("1715677200000000000")).withQueryParam("end", equalTo("1715677800000000000"))
                .withQueryParam("limit", equalTo("100")).withQueryParam("direction", equalTo("backward"))
                .withHeader("Authorization", equalTo("Basic Z3JhZmFuYTpsb2tpLXMzY3JldA=="))
                .withHeader("X-Scope-OrgID", equalTo("team-a")));
        assertThat((long) e.values().get("lines")).isPositive();
        assertThat(e.values()).containsEntry("truncated", false);
        assertThat((String) e.values().get("top_pattern")).isNotBlank();
        assertThat(e.link()).startsWith("https://grafana.example/explore?left=");
    }

    @Test
    void countSumsTheMatrixOfEachWindow() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/loki/api/v1/query_range")).willReturn(okJson(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1715677800,\"42\"]]}]}}")));
        Evidence e = new LogsCountStep(loki()).run(step("logs.count", Map.of("query", "{app=\"checkout\"} |= \"ERROR\"")),
                alert(), Map.of(), Map.of());
        assertThat(e.status()).as(e.reason()).isEqualTo(Evidence.Status.OK);
        assertThat(e.values()).containsEntry("count_after", 42L).containsEntry("count_before", 42L);
        wm.verify(getRequestedFor(urlPathEqualTo("/loki/api/v1/query_range"))
                .withQueryParam("query", equalTo("sum(count_over_time({app=\"checkout\"} |= \"ERROR\" [600s]))"))
                .withQueryParam("step", equalTo("600s")).withQueryParam("start", equalTo("1715677800000000000")));
        wm.verify(getRequestedFor(urlPathEqualTo("/loki/api/v1/query_range"))
                .withQueryParam("query", equalTo("sum(count_over_time({app=\"checkout\"} |= \"ERROR\" [3600s]))")));
    }

    @Test
    void aLongWindowIsSplitStrictlyBelowMaxQueryLengthAndAFullPageIsTruncated() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/loki/api/v1/query_range")).willReturn(okJson(streams(3))));
        LokiLogSource loki = new LokiLogSource(config(Duration.ofHours(1), 3), json);
        LogSource.Lines lines = loki.lines("{app=\"x\"}", AT.minus(Duration.ofHours(3)), AT, 10);
        assertThat(lines.truncated()).isTrue();
        assertThat(lines.lines()).hasSize(3);
        assertThat(lines.notes()).anyMatch(n -> n.contains("capped at Loki's max_entries_limit_per_query 3"))
                .anyMatch(n -> n.contains("split into 4 queries"));
        var request = wm.getAllServeEvents().get(0).getRequest();
        long start = Long.parseLong(request.queryParameter("start").firstValue());
        long end = Long.parseLong(request.queryParameter("end").firstValue());
        assertThat(end - start).isLessThan(Duration.ofHours(1).toNanos());
        assertThat(request.queryParameter("limit").firstValue()).isEqualTo("3");
        assertThat(wm.getAllServeEvents()).hasSize(1); // the full first page stops the walk back
    }

    @Test
    void anEmptyAnswerIsNoData() {
        wm.stubFor(get(urlPathEqualTo("/loki/api/v1/query_range")).willReturn(okJson(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[]}}")));
        Evidence e = new LogsTopPatternsStep(loki()).run(step("logs.top_patterns", Map.of("query", "{app=\"x\"}")), alert(),
                Map.of(), Map.of());
        assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA);
    }

    @Test
    void lokisTextPlain400ReachesEvidenceWithoutRetryOrSecret() {
        wm.stubFor(get(urlPathEqualTo("/loki/api/v1/query_range")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "text/plain; charset=utf-8")
                .withBody("the query time range exceeds the limit (query length: 744h0m0s, limit: 721h0m0s)\n")));
        Evidence e = new LogsTopPatternsStep(loki()).run(step("logs.top_patterns", Map.of("query", "{app=\"x\"}")), alert(),
                Map.of(), Map.of());
        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).isEqualTo("Loki answered 400: the query time range exceeds the limit (query length: 744h0m0s, limit: 721h0m0s)")
                .doesNotContain(SECRET);
        assertThat(wm.getAllServeEvents()).hasSize(1);
    }

    @Test
    void a5xxIsRetriedAnd429HonoursRetryAfter() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/loki/api/v1/query_range")).inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502).withBody("bad gateway")).willSetStateTo("limited"));
        wm.stubFor(get(urlPathEqualTo("/loki/api/v1/query_range")).inScenario("s").whenScenarioStateIs("limited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("too many outstanding requests"))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlPathEqualTo("/loki/api/v1/query_range")).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(okJson(fixture("loki-query_range-streams.json"))));
        long t0 = System.nanoTime();
        LogSource.Lines lines = loki().lines("{app=\"x\"}", AT, NOW, 100);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(lines.lines()).isNotEmpty();
        assertThat(wm.getAllServeEvents()).hasSize(3);
    }

    @Test
    void aSlowLokiIsTimeoutEvidence() {
        wm.stubFor(get(urlPathEqualTo("/loki/api/v1/query_range")).willReturn(okJson("{}").withFixedDelay(5000)));
        Evidence e = new LogsCountStep(loki()).run(step("logs.count", Map.of("query", "{app=\"x\"}")), alert(), Map.of(), Map.of());
        assertThat(e.status()).isEqualTo(Evidence.Status.TIMEOUT);
        assertThat(e.reason()).isEqualTo("Loki did not answer within 2500 ms");
    }

    @Test
    void aValueOutsideAStringLiteralIsRefused() {
        try {
            LogQl.render("sum(rate({app=\"x\"}[$w]))", Map.of("w", "5m]) or vector(1"));
            throw new AssertionError("rendered");
        } catch (SourceException e) {
            assertThat(e.getMessage()).contains("$w stands outside a string literal");
        }
    }

    @Test
    void elasticsearchSearchesTheWindowNewestFirstWithEscapedValues() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/logs-*/_search")).willReturn(okJson("""
                {"hits":{"total":{"value":3,"relation":"eq"},"hits":[
                 {"_source":{"@timestamp":"2024-05-14T09:05:00Z","message":"Cache miss for key 123","client":"importer"}},
                 {"_source":{"@timestamp":"2024-05-14T09:04:00Z","message":"Cache miss for key 456","client":"importer"}},
                 {"_source":{"@timestamp":"2024-05-14T09:03:00Z","message":"Cache miss for key 789","client":"web"}}]}}""")));
        var es = new ElasticsearchLogSource(config(Duration.ofHours(721), 5000), json);
        Evidence e = new LogsTopPatternsStep(es).run(step("logs.top_patterns",
                Map.of("query", "service:$service AND message:\"miss $service\"", "by", "client")), alert(),
                Map.of("service", "cache-a (x)"), Map.of());
        assertThat(e.status()).as(e.reason()).isEqualTo(Evidence.Status.OK);
        assertThat(e.query()).isEqualTo("service:cache\\-a\\ \\(x\\) AND message:\"miss cache-a (x)\"");
        assertThat(e.values()).containsEntry("top_pattern", "Cache miss for key <num>").containsEntry("top_count", 3L)
                .containsEntry("top_by", "importer").containsEntry("top_by_count", 2L);
        wm.verify(postRequestedFor(urlPathEqualTo("/logs-*/_search")).withRequestBody(equalToJson("""
                {"query":{"bool":{"filter":[{"range":{"@timestamp":{"gte":"2024-05-14T09:00:00Z","lte":"2024-05-14T09:10:00Z",
                 "format":"strict_date_optional_time"}}},{"query_string":{"query":"service:cache\\\\-a\\\\ \\\\(x\\\\) AND message:\\"miss cache-a (x)\\""}}]}},
                 "size":1000,"track_total_hits":true,"sort":[{"@timestamp":{"order":"desc"}}]}"""))
                .withHeader("Authorization", matching("Basic .+")));
    }

    private static String streams(int n) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add("[\"" + (1715677200000000000L - i * 1_000_000_000L) + "\",\"Cache miss for key " + i + "\"]");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[{\"stream\":{\"app\":\"x\"},\"values\":["
                + String.join(",", values) + "]}]}}";
    }
}
