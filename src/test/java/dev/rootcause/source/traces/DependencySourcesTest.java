package dev.rootcause.source.traces;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import dev.rootcause.diagnosis.graph.GraphBuilder;
import dev.rootcause.diagnosis.graph.NodeNames;
import dev.rootcause.diagnosis.graph.TraceDependencySource;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.port.TraceSource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract of Zipkin's and Jaeger's dependency links against WireMock in their wire shapes (Zipkin
 * {@code [{parent, child, callCount, errorCount}]}, Jaeger {@code {data: [{parent, child, callCount}]}}): the
 * outgoing request, success, empty, 5xx and timeout, and the sampled-traces fallback when the links are empty.
 * A {@code @QuarkusTest} because SmallRye Fault Tolerance's {@code Guard} needs its CDI implementation.
 */
@QuarkusTest
class DependencySourcesTest {

    static final Instant NOW = Instant.parse("2026-11-29T10:30:00Z");
    static final Instant SINCE = NOW.minus(Duration.ofHours(1));
    static final String SECRET = "s3cr3t-graph-token";

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

    static TraceBackendsTest.Config config(String kind, Duration timeout) {
        return new TraceBackendsTest.Config(URI.create("http://127.0.0.1:" + wm.port()), timeout, 2, Duration.ofSeconds(3),
                Optional.of(SECRET), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(kind), Optional.empty(),
                Optional.empty());
    }

    TraceDependencySource links(String kind, Duration timeout) {
        return "zipkin".equals(kind) ? new ZipkinDependencySource(config(kind, timeout), json)
                : new JaegerDependencySource(config(kind, timeout), json);
    }

    static String path(String kind) {
        return "zipkin".equals(kind) ? "/api/v2/dependencies" : "/api/dependencies";
    }

    static String body(String kind, String links) {
        return "zipkin".equals(kind) ? links : "{\"data\":" + links + ",\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}";
    }

    static String fixture(String path) throws IOException {
        return Files.readString(Path.of("src/test/resources/wiremock").resolve(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zipkin", "jaeger"})
    void linksBecomeEdgesAskedInMillisecondsWithTheToken(String kind) throws Exception {
        wm.stubFor(get(urlPathEqualTo(path(kind))).willReturn(okJson(body(kind,
                "[{\"parent\":\"frontend\",\"child\":\"checkout\",\"callCount\":120,\"errorCount\":3},"
                        + "{\"parent\":\"checkout\",\"child\":\"payments\",\"callCount\":80},"
                        + "{\"parent\":\"checkout\",\"child\":\"legacy\",\"callCount\":0}]"))));

        List<DependencyEdge> edges = links(kind, Duration.ofSeconds(2)).edges(SINCE, NOW);

        assertThat(edges).extracting(DependencyEdge::caller, DependencyEdge::callee, DependencyEdge::origins)
                .containsExactly(tuple("frontend", "checkout", Set.of(kind)), tuple("checkout", "payments", Set.of(kind)));
        wm.verify(getRequestedFor(urlPathEqualTo(path(kind))).withQueryParam("endTs", equalTo(Long.toString(NOW.toEpochMilli())))
                .withQueryParam("lookback", equalTo("3600000")).withHeader("Authorization", equalTo("Bearer " + SECRET)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zipkin", "jaeger"})
    void anEmptyAnswerIsNoEdge(String kind) throws Exception {
        wm.stubFor(get(urlPathEqualTo(path(kind))).willReturn(okJson(body(kind, "[]"))));

        assertThat(links(kind, Duration.ofSeconds(2)).edges(SINCE, NOW)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zipkin", "jaeger"})
    void aServerErrorIsRetriedThenAnErrorWithoutTheToken(String kind) {
        wm.stubFor(get(urlPathEqualTo(path(kind))).willReturn(aResponse().withStatus(503).withBody("storage unavailable")));

        assertThatThrownBy(() -> links(kind, Duration.ofSeconds(2)).edges(SINCE, NOW)).isInstanceOfSatisfying(SourceException.class, e -> {
            assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
            assertThat(e.getMessage()).contains("answered 503: storage unavailable").doesNotContain(SECRET);
        });
        wm.verify(3, getRequestedFor(urlPathEqualTo(path(kind))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zipkin", "jaeger"})
    void aSlowAnswerIsATimeout(String kind) {
        wm.stubFor(get(urlPathEqualTo(path(kind))).willReturn(okJson(body(kind, "[]")).withFixedDelay(1500)));

        assertThatThrownBy(() -> links(kind, Duration.ofMillis(300)).edges(SINCE, NOW))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.TIMEOUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zipkin", "jaeger"})
    void emptyLinksOnBatchJobStorageFallBackToTheBackendsRecentTraces(String kind) throws Exception {
        // Elasticsearch/Cassandra storage without zipkin-dependencies / spark-dependencies: links empty, traces there
        wm.stubFor(get(urlPathEqualTo(path(kind))).willReturn(okJson(body(kind, "[]"))));
        if ("zipkin".equals(kind)) {
            wm.stubFor(get(urlPathEqualTo("/api/v2/services")).willReturn(okJson("[\"checkout\"]")));
            wm.stubFor(get(urlPathEqualTo("/api/v2/traces")).withQueryParam("serviceName", equalTo("checkout"))
                    .willReturn(okJson(fixture("zipkin/traces-baseline.json"))));
        } else {
            wm.stubFor(get(urlPathEqualTo("/api/services")).willReturn(okJson("{\"data\":[\"checkout\"],\"total\":1}")));
            wm.stubFor(get(urlPathEqualTo("/api/traces")).withQueryParam("service", equalTo("checkout"))
                    .willReturn(okJson(fixture("jaeger/traces-baseline.json"))));
        }
        TraceSource traces = "zipkin".equals(kind) ? new ZipkinTraceSource(config(kind, Duration.ofSeconds(2)), json)
                : new JaegerTraceSource(config(kind, Duration.ofSeconds(2)), json);
        GraphBuilder builder = new GraphBuilder(new GraphBuilder.Settings(Duration.ofHours(1), 30, 20, Duration.ofSeconds(20)),
                Clock.fixed(NOW, ZoneOffset.UTC));

        DependencyGraph g = builder.build(List.of(links(kind, Duration.ofSeconds(2))), traces, NodeNames.plain(), List.of());

        assertThat(g.downstreams("checkout")).extracting(DependencyEdge::callee).contains("auth", "payments", "inventory");
        assertThat(g.edges()).allSatisfy(e -> assertThat(e.origins()).containsExactly(kind + " (sampled traces)"));
        assertThat(g.sources().get(kind)).startsWith("empty (the dependencies job may not run on this storage); took ")
                .endsWith("edges from sampled traces of 1 services");
    }
}
