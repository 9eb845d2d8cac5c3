package dev.rootcause.source.skywalking;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
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
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.port.TraceSource.Span;
import dev.rootcause.diagnosis.port.TraceSource.Trace;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract of {@link SkyWalkingTraces} against WireMock, over the OAP 10.x shapes of
 * src/test/resources/wiremock/skywalking/README.md: {@code findService} → {@code queryBasicTraces} with the service's
 * id → {@code queryTrace} batched as aliased fields, spans mapped to the port (segment-qualified ids, parents across
 * segments through refs, kinds, peers, error text); an unknown service is no_data; GraphQL {@code errors} with HTTP
 * 200 are errors. A {@code @QuarkusTest} because SmallRye Fault Tolerance's {@code Guard} needs CDI.
 */
@QuarkusTest
class SkyWalkingTracesTest {

    static final Instant START = Instant.parse("2024-05-14T09:00:00Z");
    static final Instant END = Instant.parse("2024-05-14T09:30:00Z");
    static final String SEG = "5f1c0a2e9b7d4c3a8e6f.101.17156772000000001";
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

    SkyWalkingTraces traces(Optional<String> linkTemplate) {
        SkyWalkingSourceTest.Config config = new SkyWalkingSourceTest.Config(URI.create("http://127.0.0.1:" + wm.port() + "/"),
                Duration.ofSeconds(5), 0, Duration.ofSeconds(1), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, "GENERAL");
        return new SkyWalkingTraces(config, json, linkTemplate);
    }

    static String fixture(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/wiremock/skywalking", name));
    }

    void stub(String operation, String body) {
        wm.stubFor(post(urlPathEqualTo("/graphql")).withRequestBody(matchingJsonPath("$.query", containing(operation))).willReturn(okJson(body)));
    }

    @Test
    void tracesAreReadByServiceIdThenEachTraceOnceInOneBatch() throws Exception {
        stub("findService", fixture("findService-checkout.json"));
        stub("queryBasicTraces", fixture("queryBasicTraces-checkout.json"));
        stub("queryTrace(", fixture("queryTrace-two.json"));

        List<Trace> out = traces(Optional.empty()).traces("checkout", START, END, 100);

        assertThat(out).extracting(Trace::traceId).containsExactly("9a4e1b0c7d2f4e6a.88.17156771999990001", "9a4e1b0c7d2f4e6a.88.17156772299990002");
        Map<String, Span> spans = out.get(0).spans().stream().collect(Collectors.toMap(Span::spanId, Function.identity()));
        Span entry = spans.get(SEG + "-0");
        assertThat(entry.parentId()).isEqualTo("0e7d3c2b1a.77.17156771999990000-1");
        assertThat(entry.kind()).isEqualTo("SERVER");
        assertThat(entry.service()).isEqualTo("checkout");
        assertThat(entry.startMicros()).isEqualTo(1715677200000_000L);
        assertThat(entry.durationMicros()).isEqualTo(1_400_000L);
        Span pay = spans.get(SEG + "-1");
        assertThat(pay.parentId()).isEqualTo(SEG + "-0");
        assertThat(pay.kind()).isEqualTo("CLIENT");
        assertThat(pay.peerService()).isEqualTo("payments:8080");
        Span db = spans.get(SEG + "-2");
        assertThat(db.error()).isTrue();
        assertThat(db.errorMessage()).isEqualTo("Connection is not available, request timed out after 30000ms.");
        Span payments = spans.get("c4d5e6f7a8.55.17156772000100001-0");
        assertThat(payments.parentId()).isEqualTo(SEG + "-1");
        assertThat(payments.service()).isEqualTo("payments");
        assertThat(payments.peerService()).isNull();
        Span async = out.get(1).spans().get(1);
        assertThat(async.kind()).isEqualTo("INTERNAL");
        assertThat(async.parentId()).isEqualTo("5f1c0a2e9b7d4c3a8e6f.101.17156772300000002-0");

        wm.verify(postRequestedFor(urlPathEqualTo("/graphql")).withRequestBody(matchingJsonPath("$.variables.name", equalTo("checkout"))));
        wm.verify(postRequestedFor(urlPathEqualTo("/graphql"))
                .withRequestBody(matchingJsonPath("$.query", containing("queryBasicTraces(condition: $condition)")))
                .withRequestBody(matchingJsonPath("$.variables.condition.serviceId", equalTo("Y2hlY2tvdXQ=.1")))
                .withRequestBody(matchingJsonPath("$.variables.condition.queryDuration.start", equalTo("2024-05-14 0900")))
                .withRequestBody(matchingJsonPath("$.variables.condition.queryDuration.end", equalTo("2024-05-14 0930")))
                .withRequestBody(matchingJsonPath("$.variables.condition.queryDuration.step", equalTo("MINUTE")))
                .withRequestBody(matchingJsonPath("$.variables.condition.traceState", equalTo("ALL")))
                .withRequestBody(matchingJsonPath("$.variables.condition.queryOrder", equalTo("BY_START_TIME")))
                .withRequestBody(matchingJsonPath("$.variables.condition.paging.pageSize", equalTo("100"))));
        wm.verify(exactly(1), postRequestedFor(urlPathEqualTo("/graphql"))
                .withRequestBody(matchingJsonPath("$.query", containing("t1: queryTrace(traceId: $id1)")))
                .withRequestBody(matchingJsonPath("$.variables.id0", equalTo("9a4e1b0c7d2f4e6a.88.17156771999990001")))
                .withRequestBody(matchingJsonPath("$.variables.id1", equalTo("9a4e1b0c7d2f4e6a.88.17156772299990002"))));
    }

    @Test
    void moreTracesThanABatchAreReadInSeveralRequestsUpToTheLimit() throws Exception {
        StringBuilder segments = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            segments.append(i == 0 ? "" : ",").append("{\"segmentId\": \"s").append(i).append("\", \"endpointNames\": [], \"duration\": 5,")
                    .append(" \"start\": \"0\", \"isError\": false, \"traceIds\": [\"trace-").append(i).append("\"]}");
        }
        stub("findService", fixture("findService-checkout.json"));
        stub("queryBasicTraces", "{\"data\": {\"result\": {\"traces\": [" + segments + "]}}}");
        stub("queryTrace(", "{\"data\": {}}");

        assertThat(traces(Optional.empty()).traces("checkout", START, END, 25)).isEmpty();

        wm.verify(exactly(2), postRequestedFor(urlPathEqualTo("/graphql")).withRequestBody(matchingJsonPath("$.query", containing("queryTrace("))));
        wm.verify(postRequestedFor(urlPathEqualTo("/graphql")).withRequestBody(matchingJsonPath("$.variables.id19", equalTo("trace-19"))));
        wm.verify(postRequestedFor(urlPathEqualTo("/graphql")).withRequestBody(matchingJsonPath("$.variables.id4", equalTo("trace-24"))));
        wm.verify(exactly(0), postRequestedFor(urlPathEqualTo("/graphql")).withRequestBody(matchingJsonPath("$.variables.id0", equalTo("trace-20")))
                .withRequestBody(matchingJsonPath("$.variables.id5")));
        wm.verify(exactly(0), postRequestedFor(urlPathEqualTo("/graphql")).withRequestBody(matchingJsonPath("$.variables.id20")));
        wm.verify(exactly(0), postRequestedFor(urlPathEqualTo("/graphql")).withRequestBody(containing("trace-25")));
    }

    @Test
    void aServiceTheOapDoesNotKnowIsNoDataAndNoTraceIsAsked() throws Exception {
        stub("findService", fixture("findService-unknown.json"));

        assertThatThrownBy(() -> traces(Optional.empty()).traces("checkuot", START, END, 100))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA))
                .hasMessage("SkyWalking knows no service checkuot");
        wm.verify(exactly(0), postRequestedFor(urlPathEqualTo("/graphql")).withRequestBody(matchingJsonPath("$.query", containing("queryBasicTraces"))));
    }

    @Test
    void graphQlErrorsWithHttp200AreErrorsNotEmptyTraces() throws Exception {
        stub("findService", fixture("findService-checkout.json"));
        stub("queryBasicTraces", fixture("graphql-errors.json"));

        assertThatThrownBy(() -> traces(Optional.empty()).traces("checkout", START, END, 100))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.ERROR))
                .hasMessageContaining("SkyWalking queryBasicTraces failed: Exception while fetching data (/result) : Connection refused");
    }

    @Test
    void anErrorReadingTheTracesFailsTheCallRatherThanDroppingThem() throws Exception {
        stub("findService", fixture("findService-checkout.json"));
        stub("queryBasicTraces", fixture("queryBasicTraces-checkout.json"));
        stub("queryTrace(", fixture("graphql-errors.json"));

        assertThatThrownBy(() -> traces(Optional.empty()).traces("checkout", START, END, 100))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.ERROR))
                .hasMessageContaining("SkyWalking queryTrace failed");
    }

    @Test
    void theQueryIsDescribedAndLinksFollowTheTemplate() {
        assertThat(traces(Optional.empty()).describe("checkout", START, END, 50)).isEqualTo("POST http://127.0.0.1:" + wm.port()
                + "/graphql queryBasicTraces(service checkout, 2024-05-14 0900 → 2024-05-14 0930 UTC, 50 segments) then queryTrace per trace id");
        assertThat(traces(Optional.empty()).traceLink("abc")).isNull();
        assertThat(traces(Optional.of("https://grafana/explore?trace={traceId}")).traceLink("abc")).isEqualTo("https://grafana/explore?trace=abc");
    }
}
