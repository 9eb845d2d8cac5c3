package dev.rootcause.source.zabbix;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.step.items.ItemsCompareStep;
import dev.rootcause.rule.Rule;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract of the Zabbix item history adapter against WireMock, over the shapes of Zabbix's API documentation and
 * answers recorded from a real 6.0.14 (src/test/resources/wiremock/zabbix/README.md says which): the outgoing JSON-RPC
 * requests (auth in the body for 6.0, Bearer for 7.0, apiinfo.version without either), history paging, trends for
 * long windows, and every failure as evidence: JSON-RPC errors with HTTP 200 are errors, never empty data; 5xx
 * retried; 429 honours Retry-After; a timeout is {@code timeout}; the token never shows. A {@code @QuarkusTest}
 * because SmallRye Fault Tolerance's {@code Guard} needs its CDI implementation.
 */
@QuarkusTest
class ZabbixItemHistorySourceTest {

    static final Instant AT = Instant.parse("2024-05-14T09:00:00Z");
    static final Instant NOW = Instant.parse("2024-05-14T09:10:00Z");
    static final String SECRET = "0424bd59b807674191e7d77572075f33cbda84b1e9bc5dc1b1f4bd39ef1b4f4c";
    static WireMockServer wm;
    final ObjectMapper json = new ObjectMapper();

    record Config(URI url, Duration timeout, int maxRetries, Duration maxRetryAfter, Optional<String> token,
            Optional<String> username, Optional<String> password, Optional<String> orgId, Optional<String> kind,
            Duration trendsAfter, int pageSize, int maxSamples) implements ZabbixConfig {
    }

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

    ZabbixItemHistorySource zabbix(Duration timeout) {
        return new ZabbixItemHistorySource(new Config(URI.create("http://127.0.0.1:" + wm.port() + "/zabbix"), timeout, 2,
                Duration.ofSeconds(3), Optional.of(SECRET), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("zabbix"), Duration.ofHours(48), 3, 1000), json, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static String fixture(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/wiremock/zabbix", name));
    }

    static MappingBuilder rpc(String method) {
        return post(urlPathEqualTo("/zabbix/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo(method)));
    }

    Evidence compare(ZabbixItemHistorySource source, String before) {
        Rule.Step step = new Rule.Step("loss", "items.compare", List.of(),
                Map.of("host", "$host", "key", "icmppingloss", "before", before, "after", "30m"), null);
        return new ItemsCompareStep(source).run(step, new AlertContext("NOC-P2-17", Map.of("host", "edge-1"), Map.of(), AT, NOW),
                Map.of("host", "edge-1"), Map.of());
    }

    void version(String file) throws Exception {
        wm.stubFor(rpc("apiinfo.version").willReturn(okJson(fixture(file))));
    }

    @Test
    void zabbix60GetsTheTokenInTheBodyAndHistoryIsReadPageByPage() throws Exception {
        version("apiinfo.version-6.0.json");
        wm.stubFor(rpc("item.get").willReturn(okJson(fixture("item.get.json"))));
        wm.stubFor(rpc("history.get").withRequestBody(matchingJsonPath("$.params.time_from", equalTo("1715673600")))
                .willReturn(okJson(fixture("history.get-page1.json"))));
        wm.stubFor(rpc("history.get").withRequestBody(matchingJsonPath("$.params.time_from", equalTo("1715677800")))
                .willReturn(okJson(fixture("history.get-page2.json"))));

        Evidence e = compare(zabbix(Duration.ofSeconds(3)), "1h");

        assertThat(e.status()).as(e.reason()).isEqualTo(Evidence.Status.OK);
        assertThat(e.kind()).isEqualTo("metric");
        assertThat(e.source()).isEqualTo("zabbix");
        assertThat(e.query()).isEqualTo("host=edge-1 key=icmppingloss");
        assertThat(e.values()).containsEntry("before", 0.085).containsEntry("after", 30.0).containsEntry("before_points", 2L)
                .containsEntry("after_points", 2L).containsEntry("last", 29.5).containsEntry("method", "history.get")
                .containsEntry("item", "ICMP loss").containsEntry("units", "%").containsEntry("exceeds_noise", true);
        assertThat(e.link()).startsWith("http://127.0.0.1:" + wm.port() + "/zabbix/history.php?action=showgraph&itemids%5B%5D=23298&from=");
        assertThat(e.recorded()).singleElement().satisfies(r -> assertThat(r.capability()).isEqualTo("item"));
        // apiinfo.version must be called without authentication (Zabbix refuses it otherwise)
        wm.verify(postRequestedFor(urlPathEqualTo("/zabbix/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("apiinfo.version")))
                .withRequestBody(matchingJsonPath("$.auth", absent())).withHeader("Authorization", absent()));
        wm.verify(postRequestedFor(urlPathEqualTo("/zabbix/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("item.get")))
                .withRequestBody(matchingJsonPath("$.auth", equalTo(SECRET))).withRequestBody(matchingJsonPath("$.params.host", equalTo("edge-1")))
                .withRequestBody(matchingJsonPath("$.params.filter.key_", equalTo("icmppingloss"))).withHeader("Authorization", absent())
                .withHeader("Content-Type", equalTo("application/json")));
        wm.verify(2, postRequestedFor(urlPathEqualTo("/zabbix/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("history.get")))
                .withRequestBody(matchingJsonPath("$.params.history", equalTo("0"))).withRequestBody(matchingJsonPath("$.params.limit", equalTo("3")))
                .withRequestBody(matchingJsonPath("$.params.sortfield", equalTo("clock")))
                .withRequestBody(matchingJsonPath("$.params.time_till", equalTo("1715677800"))));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/zabbix/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("apiinfo.version"))));
    }

    @Test
    void zabbix70GetsABearerHeaderAndNoAuthInTheBody() throws Exception {
        version("apiinfo.version-7.0.json");
        wm.stubFor(rpc("item.get").willReturn(okJson(fixture("item.get.json"))));
        wm.stubFor(rpc("history.get").willReturn(okJson(fixture("history.get-page2.json"))));
        Evidence e = compare(zabbix(Duration.ofSeconds(3)), "1h");
        assertThat(e.status()).as("only samples after the start: %s", e.reason()).isEqualTo(Evidence.Status.NO_DATA);
        wm.verify(postRequestedFor(urlPathEqualTo("/zabbix/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("item.get")))
                .withHeader("Authorization", equalTo("Bearer " + SECRET)).withRequestBody(matchingJsonPath("$.auth", absent())));
    }

    @Test
    void aWindowLongerThanTrendsAfterReadsHourlyTrends() throws Exception {
        version("apiinfo.version-6.0.json");
        wm.stubFor(rpc("item.get").willReturn(okJson(fixture("item.get.json"))));
        wm.stubFor(rpc("trend.get").willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":4}")));
        wm.stubFor(rpc("trend.get").withRequestBody(matchingJsonPath("$.params.time_from", equalTo("1715418000")))
                .willReturn(okJson(fixture("trend.get.json"))));
        Evidence e = compare(zabbix(Duration.ofSeconds(3)), "3d");
        assertThat(e.status()).as(e.reason()).isEqualTo(Evidence.Status.OK);
        assertThat(e.values()).containsEntry("method", "trend.get").containsEntry("after", 31.4).containsEntry("before_points", 2L);
        // a full page (3 rows, page-size 3): the next page starts after the last hour
        wm.verify(postRequestedFor(urlPathEqualTo("/zabbix/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("trend.get")))
                .withRequestBody(matchingJsonPath("$.params.time_from", equalTo("1715677201"))));
        wm.verify(0, postRequestedFor(urlPathEqualTo("/zabbix/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("history.get"))));
    }

    @Test
    void jsonRpcErrorsWithHttp200AreErrorsNeverEmptyDataAndHideTheToken() throws Exception {
        version("apiinfo.version-6.0.json");
        wm.stubFor(rpc("item.get").willReturn(okJson(fixture("error-not-authorized.json").replace("re-login", "re-login (" + SECRET + ")"))));
        Evidence e = compare(zabbix(Duration.ofSeconds(3)), "1h");
        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).contains("item.get failed: Invalid params. (code -32602): Session terminated, re-login (***), please.")
                .doesNotContain(SECRET);

        wm.resetAll();
        version("apiinfo.version-6.0.json");
        wm.stubFor(rpc("item.get").willReturn(okJson(fixture("item.get.json"))));
        wm.stubFor(rpc("history.get").willReturn(okJson(fixture("error-no-permissions.json"))));
        e = compare(zabbix(Duration.ofSeconds(3)), "1h");
        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).contains("history.get failed").contains("No permissions to referred object");
    }

    @Test
    void aServerRejectingAuthInTheBodyIsAnError() throws Exception {
        wm.stubFor(rpc("apiinfo.version").willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":\"6.2.9\",\"id\":1}")));
        wm.stubFor(rpc("item.get").willReturn(okJson(fixture("error-auth-rejected-7.2.json"))));
        Evidence e = compare(zabbix(Duration.ofSeconds(3)), "1h");
        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).contains("unexpected parameter \"auth\"");
    }

    @Test
    void noSuchItemIsNoDataAndTextItemsHaveNothingToCompare() throws Exception {
        version("apiinfo.version-6.0.json");
        wm.stubFor(rpc("item.get").willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":2}")));
        Evidence e = compare(zabbix(Duration.ofSeconds(3)), "1h");
        assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA);
        assertThat(e.reason()).isEqualTo("Zabbix has no item icmppingloss on host edge-1");

        wm.stubFor(rpc("item.get").willReturn(okJson(fixture("item.get.json").replace("\"value_type\": \"0\"", "\"value_type\": \"4\""))));
        e = compare(zabbix(Duration.ofSeconds(3)), "1h");
        assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA);
        assertThat(e.reason()).contains("holds text (value type 4)");
    }

    @Test
    void serverErrorsAreRetriedAndRetryAfterIsHonoured() throws Exception {
        version("apiinfo.version-6.0.json");
        wm.stubFor(rpc("item.get").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502).withBody("Bad Gateway")).willSetStateTo("busy"));
        wm.stubFor(rpc("item.get").inScenario("flaky").whenScenarioStateIs("busy")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        wm.stubFor(rpc("item.get").inScenario("flaky").whenScenarioStateIs("ok").willReturn(okJson(fixture("item.get.json"))));
        wm.stubFor(rpc("history.get").willReturn(okJson(fixture("history.get-page2.json"))));
        long t0 = System.nanoTime();
        Evidence e = compare(zabbix(Duration.ofSeconds(3)), "1h");
        assertThat(e.status()).as(e.reason()).isEqualTo(Evidence.Status.NO_DATA); // answered: only "after" samples
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("waited the Retry-After").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        wm.verify(3, postRequestedFor(urlPathEqualTo("/zabbix/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("item.get"))));
    }

    @Test
    void aSlowAnswerIsATimeoutAndGarbageIsAnError() throws Exception {
        version("apiinfo.version-6.0.json");
        wm.stubFor(rpc("item.get").willReturn(okJson(fixture("item.get.json")).withFixedDelay(1500)));
        Evidence e = compare(zabbix(Duration.ofMillis(300)), "1h");
        assertThat(e.status()).isEqualTo(Evidence.Status.TIMEOUT);

        wm.resetAll();
        version("apiinfo.version-6.0.json");
        wm.stubFor(rpc("item.get").willReturn(aResponse().withStatus(200).withBody("<html>Zabbix: setup</html>")));
        e = compare(zabbix(Duration.ofSeconds(3)), "1h");
        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).contains("item.get answered something other than JSON");
    }

    @Test
    void withoutABackendTheStepIsSkippedSayingSo() {
        Evidence e = compare(null, "1h");
        assertThat(e.status()).isEqualTo(Evidence.Status.SKIPPED);
        assertThat(e.reason()).contains("rootcause.sources.items.kind");
    }

    @Test
    void storagePeriodsAreRead() {
        assertThat(ZabbixItemHistorySource.period("31d")).isEqualTo(Duration.ofDays(31));
        assertThat(ZabbixItemHistorySource.period("1w")).isEqualTo(Duration.ofDays(7));
        assertThat(ZabbixItemHistorySource.period("3600")).isEqualTo(Duration.ofHours(1));
        assertThat(ZabbixItemHistorySource.period("{$HISTORY}")).isNull();
    }
}
