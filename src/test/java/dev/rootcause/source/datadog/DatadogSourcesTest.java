package dev.rootcause.source.datadog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.rootcause.source.datadog.DatadogWireMock.API_KEY;
import static dev.rootcause.source.datadog.DatadogWireMock.APP_KEY;
import static dev.rootcause.source.datadog.DatadogWireMock.fixture;
import static dev.rootcause.source.datadog.DatadogWireMock.server;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Datadog adapters against recorded answers (src/test/resources/wiremock/datadog/SOURCES.md): the metrics query
 * API (success, keys in headers, 5xx retried, 429 honouring X-RateLimit-Reset, 403 never showing a key, timeout,
 * PromQL refused unsent), the APM service map as graph edges, deployment events over three pages into the change store.
 */
@QuarkusTest
@TestProfile(DatadogWireMock.Profile.class)
class DatadogSourcesTest {

    private static final Instant T = Instant.parse("2021-06-16T12:25:00Z");

    @Inject
    MetricsSource metrics;

    @Inject
    DatadogEdgeSource edges;

    @Inject
    DatadogDeployEvents events;

    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()) + " " + r.getThrown());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void reset() {
        server().resetAll();
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapture() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void theMetricsSourceIsDatadogWhenTheKindSaysSo() {
        assertThat(metrics.name()).isEqualTo("datadog");
        assertThat(metrics.language()).isEqualTo("datadog");
    }

    @Test
    void rangeQueryReadsTheRecordedAnswerAndSendsBothKeysInHeaders() throws Exception {
        server().stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(okJson(fixture("query-cpu-idle.json"))));
        MetricsSource.Result r = metrics.range("system.cpu.idle{*}", Instant.ofEpochSecond(1623846101), Instant.ofEpochSecond(1623932501),
                Duration.ofMinutes(1));
        assertThat(r.series()).hasSize(1);
        assertThat(r.series().get(0).values()).containsExactly(94.31900300343831, 94.1221435991923, 94.4046950785319, Double.NaN);
        assertThat(r.series().get(0).times().get(0)).isEqualTo(Instant.ofEpochMilli(1623846300000L));
        assertThat(r.step()).isEqualTo(Duration.ofSeconds(300));
        server().verify(getRequestedFor(urlPathEqualTo("/api/v1/query")).withQueryParam("from", equalTo("1623846101"))
                .withQueryParam("to", equalTo("1623932501")).withQueryParam("query", equalTo("system.cpu.idle{*}"))
                .withHeader("DD-API-KEY", equalTo(API_KEY)).withHeader("DD-APPLICATION-KEY", equalTo(APP_KEY)));
    }

    @Test
    void instantQueryKeepsEachSeriesLastPoint() throws Exception {
        server().stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(okJson(fixture("query-cpu-idle.json"))));
        MetricsSource.Result r = metrics.instant("system.cpu.idle{*}", Instant.ofEpochMilli(1623847400000L));
        assertThat(r.series().get(0).values()).containsExactly(94.4046950785319); // the last point is null: NaN skipped
        server().verify(getRequestedFor(urlPathEqualTo("/api/v1/query")).withQueryParam("from", equalTo("1623847100")));
    }

    @Test
    void aServerErrorIsRetried() throws Exception {
        server().stubFor(get(urlPathEqualTo("/api/v1/query")).inScenario("5xx").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("{\"errors\":[\"Service Unavailable\"]}")).willSetStateTo("up"));
        server().stubFor(get(urlPathEqualTo("/api/v1/query")).inScenario("5xx").whenScenarioStateIs("up")
                .willReturn(okJson(fixture("query-cpu-idle.json"))));
        assertThat(metrics.range("system.cpu.idle{*}", T.minusSeconds(3600), T, Duration.ofMinutes(1)).series()).hasSize(1);
        assertThat(server().getAllServeEvents()).hasSize(2);
    }

    @Test
    void rateLimitedCallWaitsAsXRateLimitResetSaysThenSucceeds() throws Exception {
        server().stubFor(get(urlPathEqualTo("/api/v1/query")).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withHeader("X-RateLimit-Limit", "1600").withHeader("X-RateLimit-Period", "3600")
                        .withHeader("X-RateLimit-Remaining", "0").withHeader("X-RateLimit-Reset", "1")
                        .withHeader("X-RateLimit-Name", "query").withBody("{\"errors\":[\"Too many requests\"]}"))
                .willSetStateTo("reset"));
        server().stubFor(get(urlPathEqualTo("/api/v1/query")).inScenario("429").whenScenarioStateIs("reset")
                .willReturn(okJson(fixture("query-cpu-idle.json"))));
        assertThat(metrics.range("system.cpu.idle{*}", T.minusSeconds(3600), T, Duration.ofMinutes(1)).series()).hasSize(1);
        List<ServeEvent> calls = server().getAllServeEvents().stream()
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
        assertThat(calls).hasSize(2);
        long waitedMillis = calls.get(1).getRequest().getLoggedDate().getTime() - calls.get(0).getRequest().getLoggedDate().getTime();
        assertThat(waitedMillis).as("waited the 1 s X-RateLimit-Reset asked for, not the 20 ms backoff").isGreaterThanOrEqualTo(900);
    }

    @Test
    void aResetLongerThanWeWaitFailsAtOnceSayingWhy() {
        server().stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(429).withHeader("X-RateLimit-Reset", "3600")
                .withBody("{\"errors\":[\"Too many requests\"]}")));
        assertThatThrownBy(() -> metrics.range("system.cpu.idle{*}", T.minusSeconds(3600), T, Duration.ofMinutes(1)))
                .isInstanceOf(MetricsSourceException.class).hasMessageContaining("429").hasMessageContaining("retry after 1h");
        assertThat(server().getAllServeEvents()).hasSize(1);
    }

    @Test
    void aWrongKeyIs403NamingTheSettingsNeverTheKeys() {
        server().stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"errors\":[\"Forbidden\"]}")));
        MetricsSourceException e = org.junit.jupiter.api.Assertions.assertThrows(MetricsSourceException.class,
                () -> metrics.range("system.cpu.idle{*}", T.minusSeconds(3600), T, Duration.ofMinutes(1)));
        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.getMessage()).contains("403", "Forbidden", "api-key", "application-key", "site=datadoghq.eu")
                .doesNotContain(API_KEY).doesNotContain(APP_KEY);
        assertThat(server().getAllServeEvents()).as("a 403 is not retried").hasSize(1);
        assertThat(String.join("\n", logged)).doesNotContain(API_KEY).doesNotContain(APP_KEY);
    }

    @Test
    void aSlowAnswerIsATimeout() {
        server().stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(okJson(fixture("query-cpu-idle.json")).withFixedDelay(3000)));
        assertThatThrownBy(() -> metrics.range("system.cpu.idle{*}", T.minusSeconds(3600), T, Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(MetricsSourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.TIMEOUT));
    }

    @Test
    void aBadQueryCarriesDatadogsMessage() {
        server().stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(400)
                .withBody("{\"errors\":[\"Error parsing query: unable to parse sum:x{: Rule 'scope_expr' didn't match\"]}")));
        assertThatThrownBy(() -> metrics.range("sum:x{", T.minusSeconds(3600), T, Duration.ofMinutes(1)))
                .hasMessageContaining("400").hasMessageContaining("Error parsing query");
    }

    @Test
    void promQlIsRefusedWithoutAskingDatadog() {
        assertThatThrownBy(() -> metrics.range("sum(rate(http_requests_total{service=\"checkout\"}[5m]))", T.minusSeconds(3600), T,
                Duration.ofMinutes(1))).isInstanceOfSatisfying(MetricsSourceException.class,
                        e -> assertThat(e.getMessage()).contains("PromQL cannot be asked of Datadog"));
        assertThat(server().getAllServeEvents()).isEmpty();
    }

    @Test
    void aValueThatWouldChangeTheQueryIsRefused() throws Exception {
        assertThat(metrics.render("sum:trace.servlet.request.hits{service:$service_value}", Map.of("service_value", "checkout",
                "service", "x"))).isEqualTo("sum:trace.servlet.request.hits{service:checkout}");
        assertThatThrownBy(() -> metrics.render("sum:x{service:$service}", Map.of("service", "a,env:*")))
                .hasMessageContaining("cannot stand in a Datadog query");
    }

    @Test
    void theServiceMapBecomesDependencyEdges() throws Exception {
        server().stubFor(get(urlPathEqualTo("/api/v1/service_dependencies")).willReturn(okJson(fixture("service-dependencies.json"))));
        List<DependencyEdge> found = edges.edges(T.minusSeconds(3600), T);
        assertThat(found).extracting(e -> e.caller() + ">" + e.callee()).containsExactlyInAnyOrder("checkout>payments", "checkout>inventory",
                "payments>payments-db");
        assertThat(found).allMatch(e -> e.origins().contains("datadog apm"));
        server().verify(getRequestedFor(urlPathEqualTo("/api/v1/service_dependencies")).withQueryParam("env", equalTo("prod"))
                .withQueryParam("start", equalTo(Long.toString(T.minusSeconds(3600).getEpochSecond()))));
    }

    @Test
    void deploymentEventsOfEveryPageBecomeChangeEventsOnce() throws Exception {
        String after1 = Api.cursor(fixture("events-page-1.json"));
        String after2 = Api.cursor(fixture("events-page-2.json"));
        server().stubFor(get(urlPathEqualTo("/api/v2/events")).withQueryParam("page[cursor]", absent())
                .willReturn(okJson(fixture("events-page-1.json"))));
        server().stubFor(get(urlPathEqualTo("/api/v2/events")).withQueryParam("page[cursor]", equalTo(after1))
                .willReturn(okJson(fixture("events-page-2.json"))));
        server().stubFor(get(urlPathEqualTo("/api/v2/events")).withQueryParam("page[cursor]", equalTo(after2))
                .willReturn(okJson(fixture("events-page-3.json"))));

        DatadogDeployEvents.Polled p = events.poll();
        assertThat(p).isEqualTo(new DatadogDeployEvents.Polled(3, 3, 2, 1)); // the Synthetics event names no service
        server().verify(getRequestedFor(urlPathEqualTo("/api/v2/events")).withQueryParam("filter[query]", equalTo("tags:deployment"))
                .withQueryParam("page[limit]", equalTo("2")).withQueryParam("sort", equalTo("timestamp")));

        given().get("/api/v1/changes/datadog-6567977849972254562").then().statusCode(200)
                .body("service", org.hamcrest.Matchers.equalTo("checkout")).body("version", org.hamcrest.Matchers.equalTo("2.8.0"))
                .body("previousVersion", org.hamcrest.Matchers.equalTo("2.7.4")).body("commitRange", org.hamcrest.Matchers.equalTo("9f1c2ab"))
                .body("time", org.hamcrest.Matchers.equalTo("2022-06-20T17:07:32Z"));
        given().get("/api/v1/changes/datadog-6567977596797486753").then().statusCode(200)
                .body("service", org.hamcrest.Matchers.equalTo("payments")).body("author", org.hamcrest.Matchers.equalTo("jdoe"));

        assertThat(events.poll().created()).as("the overlapping next poll stores nothing twice").isZero();
    }

    /** Reads a recorded page's cursor. */
    static final class Api {
        static String cursor(String page) throws Exception {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(page).at("/meta/page/after").asText();
        }
    }
}
