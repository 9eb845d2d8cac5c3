package dev.rootcause.source.skywalking;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.port.ItemHistorySource.ItemSeries;
import dev.rootcause.diagnosis.port.ItemHistorySourceException;
import dev.rootcause.diagnosis.port.SourceException;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract of the SkyWalking adapters against WireMock, over the OAP 10.x shapes of
 * src/test/resources/wiremock/skywalking/README.md: the outgoing GraphQL request (MQE {@code execExpression} with
 * the entity and a minute-step duration, {@code getGlobalTopology} with the layer), the series and edges read from
 * the answers, and every failure as evidence: GraphQL {@code errors} with HTTP 200 are errors, never empty data; an
 * expression the OAP cannot resolve is an error; all-null minutes are no_data; 5xx retried; a timeout is
 * {@code timeout}. A {@code @QuarkusTest} because SmallRye Fault Tolerance's {@code Guard} needs CDI.
 */
@QuarkusTest
class SkyWalkingSourceTest {

    static final Instant START = Instant.parse("2024-05-14T09:00:00Z");
    static final Instant END = Instant.parse("2024-05-14T09:04:30Z");
    static WireMockServer wm;
    final ObjectMapper json = new ObjectMapper();

    record Config(URI url, Duration timeout, int maxRetries, Duration maxRetryAfter, Optional<String> token,
            Optional<String> username, Optional<String> password, Optional<String> orgId, boolean topology, String layer)
            implements SkyWalkingConfig {
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

    Config config(Duration timeout) {
        return new Config(URI.create("http://127.0.0.1:" + wm.port()), timeout, 2, Duration.ofSeconds(2), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), true, "GENERAL");
    }

    SkyWalkingMetrics metrics() {
        return new SkyWalkingMetrics(config(Duration.ofSeconds(5)), json);
    }

    static String fixture(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/wiremock/skywalking", name));
    }

    @Test
    void mqeSeriesIsReadMinuteByMinuteWithoutTheEmptyMinutes() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson(fixture("execExpression-service_resp_time.json"))));

        ItemSeries s = metrics().history("checkout", "service_resp_time", START, END);

        assertThat(s.values()).containsExactly(85, 90, 1480, 1510);
        assertThat(s.times()).containsExactly(START, START.plusSeconds(60), START.plusSeconds(180), START.plusSeconds(240));
        assertThat(s.units()).isEqualTo("ms");
        assertThat(s.method()).isEqualTo("execExpression");
        wm.verify(postRequestedFor(urlPathEqualTo("/graphql"))
                .withRequestBody(matchingJsonPath("$.query", containing("execExpression(expression: $expression, entity: $entity, duration: $duration)")))
                .withRequestBody(matchingJsonPath("$.variables.expression", equalTo("service_resp_time")))
                .withRequestBody(matchingJsonPath("$.variables.entity.serviceName", equalTo("checkout")))
                .withRequestBody(matchingJsonPath("$.variables.entity.normal", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.variables.duration.start", equalTo("2024-05-14 0900")))
                .withRequestBody(matchingJsonPath("$.variables.duration.end", equalTo("2024-05-14 0904")))
                .withRequestBody(matchingJsonPath("$.variables.duration.step", equalTo("MINUTE"))));
    }

    @Test
    void anEndpointEntityNamesItsServiceAndEndpoint() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson(fixture("execExpression-service_resp_time.json"))));

        metrics().history("POST:/orders in checkout", "endpoint_resp_time", START, END);

        wm.verify(postRequestedFor(urlPathEqualTo("/graphql"))
                .withRequestBody(matchingJsonPath("$.variables.entity.serviceName", equalTo("checkout")))
                .withRequestBody(matchingJsonPath("$.variables.entity.endpointName", equalTo("POST:/orders"))));
    }

    @Test
    void graphQlErrorsWithHttp200AreErrorsNotEmptyData() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson(fixture("graphql-errors.json"))));

        assertThatThrownBy(() -> metrics().history("checkout", "service_cpm", START, END))
                .isInstanceOfSatisfying(ItemHistorySourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.ERROR))
                .hasMessageContaining("SkyWalking execExpression failed").hasMessageContaining("Connection refused: banyandb");
    }

    @Test
    void anExpressionTheOapCannotResolveIsAnError() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson(fixture("execExpression-unknown-metric.json"))));

        assertThatThrownBy(() -> metrics().history("checkout", "service_resp_tme", START, END))
                .isInstanceOfSatisfying(ItemHistorySourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.ERROR))
                .hasMessageContaining("could not evaluate service_resp_tme").hasMessageContaining("dose not exist");
    }

    @Test
    void minutesWithoutDataAreNoData() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson(fixture("execExpression-all-null.json"))));

        assertThatThrownBy(() -> metrics().history("checkout", "service_cpm", START, END))
                .isInstanceOfSatisfying(ItemHistorySourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA));
    }

    @Test
    void a5xxIsRetried() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/graphql")).inScenario("5xx").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        wm.stubFor(post(urlPathEqualTo("/graphql")).inScenario("5xx").whenScenarioStateIs("up")
                .willReturn(okJson(fixture("execExpression-service_resp_time.json"))));

        assertThat(metrics().history("checkout", "service_resp_time", START, END).values()).hasSize(4);
        wm.verify(2, postRequestedFor(urlPathEqualTo("/graphql")));
    }

    @Test
    void noAnswerInTimeIsATimeout() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson(fixture("execExpression-service_resp_time.json")).withFixedDelay(1500)));
        SkyWalkingMetrics slow = new SkyWalkingMetrics(new Config(URI.create("http://127.0.0.1:" + wm.port()), Duration.ofMillis(300), 0,
                Duration.ofSeconds(1), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, ""), json);

        assertThatThrownBy(() -> slow.history("checkout", "service_resp_time", START, END))
                .isInstanceOfSatisfying(ItemHistorySourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.TIMEOUT));
    }

    @Test
    void topologyCallsBecomeEdgesByNodeName() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson(fixture("getGlobalTopology.json"))));

        List<DependencyEdge> edges = new SkyWalkingTopology(config(Duration.ofSeconds(5)), json).edges(START, END);

        assertThat(edges).containsExactlyInAnyOrder(
                new DependencyEdge("e2e-service-consumer", "e2e-service-provider", Set.of("skywalking")),
                new DependencyEdge("e2e-service-provider", "localhost:-1", Set.of("skywalking")));
        wm.verify(postRequestedFor(urlPathEqualTo("/graphql"))
                .withRequestBody(matchingJsonPath("$.query", containing("getGlobalTopology(duration: $duration, layer: $layer)")))
                .withRequestBody(matchingJsonPath("$.variables.layer", equalTo("GENERAL")))
                .withRequestBody(matchingJsonPath("$.variables.duration.step", equalTo("MINUTE"))));
    }

    @Test
    void topologyErrorsAreSourceErrors() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson(fixture("graphql-errors.json"))));

        assertThatThrownBy(() -> new SkyWalkingTopology(config(Duration.ofSeconds(5)), json).edges(START, END))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.ERROR))
                .hasMessageContaining("getGlobalTopology failed");
    }
}
