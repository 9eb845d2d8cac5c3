package dev.rootcause.source.traces;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.diagnosis.step.traces.TracesErrorsStep;
import dev.rootcause.diagnosis.step.traces.TracesSlowestDependencyStep;
import dev.rootcause.rule.Rule;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract of the trace backends against WireMock replaying generated fixtures
 * (scripts/make-trace-fixtures.py): the outgoing request, the verdict, and every failure as evidence.
 * A {@code @QuarkusTest} because SmallRye Fault Tolerance's {@code Guard} needs its CDI implementation.
 */
@QuarkusTest
class TraceBackendsTest {

    static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-29T10:30:00Z");
    static final Path FIXTURES = Path.of("src/test/resources/wiremock");
    static final String SECRET = "s3cr3t-token-value";

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
            Optional<URI> uiUrl, Optional<String> linkTemplate) implements TracesConfig {
    }

    static Config config(String kind) {
        return new Config(URI.create("http://127.0.0.1:" + wm.port()), Duration.ofMillis(2500), 2, Duration.ofSeconds(3),
                Optional.of(SECRET), Optional.empty(), Optional.empty(), Optional.of("tenant-1"), Optional.of(kind),
                Optional.of(URI.create("https://ui.example")), Optional.empty());
    }

    TraceSource source(String kind) {
        return switch (kind) {
            case "zipkin" -> new ZipkinTraceSource(config(kind), json);
            case "jaeger" -> new JaegerTraceSource(config(kind), json);
            case "tempo" -> new TempoTraceSource(config(kind), json);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static String fixture(String path) {
        try {
            return Files.readString(FIXTURES.resolve(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000;
    }

    /** Stubs the alert window with {@code after} and the baseline with {@code baseline}. */
    void serve(String kind, String after, String afterFile, String baselineFile) throws IOException {
        switch (kind) {
            case "zipkin" -> {
                wm.stubFor(get(urlPathEqualTo("/api/v2/traces")).withQueryParam("endTs", equalTo(Long.toString(NOW.toEpochMilli())))
                        .willReturn(okJson(fixture("zipkin/traces-" + after + ".json"))));
                wm.stubFor(get(urlPathEqualTo("/api/v2/traces")).withQueryParam("endTs", equalTo(Long.toString(AT.toEpochMilli())))
                        .willReturn(okJson(fixture("zipkin/traces-baseline.json"))));
            }
            case "jaeger" -> {
                wm.stubFor(get(urlPathEqualTo("/api/traces")).withQueryParam("start", equalTo(Long.toString(micros(AT))))
                        .willReturn(okJson(fixture("jaeger/" + afterFile))));
                wm.stubFor(get(urlPathEqualTo("/api/traces")).withQueryParam("end", equalTo(Long.toString(micros(AT))))
                        .willReturn(okJson(fixture("jaeger/" + baselineFile))));
            }
            case "tempo" -> {
                wm.stubFor(get(urlPathEqualTo("/api/search")).withQueryParam("start", equalTo(Long.toString(AT.getEpochSecond())))
                        .willReturn(okJson(fixture("tempo/search-" + after + ".json"))));
                wm.stubFor(get(urlPathEqualTo("/api/search")).withQueryParam("end", equalTo(Long.toString(AT.getEpochSecond())))
                        .willReturn(okJson(fixture("tempo/search-baseline.json"))));
                try (var files = Files.list(FIXTURES.resolve("tempo"))) {
                    for (Path f : files.filter(p -> p.getFileName().toString().startsWith("trace-")).toList()) {
                        String id = f.getFileName().toString().replace("trace-", "").replace(".json", "");
                        wm.stubFor(get(urlPathEqualTo("/api/traces/" + id)).willReturn(okJson(Files.readString(f))));
                    }
                }
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    static Evidence slowest(TraceSource source) {
        Rule.Step step = new Rule.Step("slow", "traces.slowest_dependency", List.of(), Map.of("service", "$service"), null);
        return new TracesSlowestDependencyStep(source).run(step, alert(), Map.of("service", "checkout"), Map.of());
    }

    static AlertContext alert() {
        return new AlertContext("latency", Map.of("service", "checkout"), Map.of(), AT, NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zipkin", "jaeger", "tempo"})
    void namesTheSlowedDownstreamWithItsShareAndAnExampleTrace(String kind) throws IOException {
        serve(kind, "slow-payments", "traces-slow-payments.json", "traces-baseline.json");
        Evidence e = slowest(source(kind));
        assertThat(e.status()).as(e.reason()).isEqualTo(Evidence.Status.OK);
        assertThat(e.values()).containsEntry("found", true).containsEntry("dependency", "payments");
        assertThat((double) e.values().get("share_after")).isGreaterThan(0.85);
        assertThat((double) e.values().get("share_before")).isBetween(0.4, 0.6);
        assertThat((double) e.values().get("self_ms_after")).isBetween(295.0, 305.0);
        assertThat((double) e.values().get("self_ms_before")).isBetween(25.0, 35.0);
        if (kind.equals("tempo")) {
            assertThat(e.link()).as("Tempo has no UI of its own: no link without a template").isNull();
        } else {
            assertThat(e.link()).startsWith("https://ui.example/").endsWith((String) e.values().get("example_trace"));
        }
        assertThat(e.query()).doesNotContain(SECRET);
        wm.getAllServeEvents().forEach(ev -> {
            assertThat(ev.getRequest().getHeader("Authorization")).isEqualTo("Bearer " + SECRET);
            assertThat(ev.getRequest().getHeader("X-Scope-OrgID")).isEqualTo("tenant-1");
        });
    }

    @Test
    void tempoLinksFollowTheConfiguredTemplate() throws IOException {
        serve("tempo", "slow-payments", null, null);
        Config c = config("tempo");
        TraceSource tempo = new TempoTraceSource(new Config(c.url(), c.timeout(), 2, c.maxRetryAfter(), c.token(), c.username(),
                c.password(), c.orgId(), c.kind(), Optional.empty(), Optional.of("https://grafana.example/explore?traceId={traceId}")), json);
        Evidence e = slowest(tempo);
        assertThat(e.link()).isEqualTo("https://grafana.example/explore?traceId=" + e.values().get("example_trace"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zipkin", "jaeger", "tempo"})
    void allDownstreamsEquallySlowIsNoSingleBlame(String kind) throws IOException {
        serve(kind, "all-slow", "traces-all-slow.json", "traces-baseline.json");
        Evidence e = slowest(source(kind));
        assertThat(e.status()).isEqualTo(Evidence.Status.OK);
        assertThat(e.values()).containsEntry("found", false);
        assertThat((String) e.values().get("summary")).startsWith("no single downstream to blame").contains("auth").contains("payments");
    }

    @Test
    void jaegerWithAndWithoutClockSkewAdjustmentGivesTheSameVerdict() throws IOException {
        serve("jaeger", "slow-payments", "traces-slow-payments-skewed.json", "traces-baseline.json");
        Evidence raw = slowest(source("jaeger"));
        wm.resetAll();
        serve("jaeger", "slow-payments", "traces-slow-payments.json", "traces-baseline.json");
        Evidence adjusted = slowest(source("jaeger"));
        assertThat(raw.values()).containsEntry("dependency", "payments").containsEntry("found", true);
        assertThat(adjusted.values()).containsEntry("dependency", "payments").containsEntry("found", true);
        // the skewed orphan span (1 ms) may land elsewhere on the path; the numbers agree within it
        assertThat((double) raw.values().get("share_after")).isCloseTo((double) adjusted.values().get("share_after"),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat((double) raw.values().get("self_ms_after")).isCloseTo((double) adjusted.values().get("self_ms_after"),
                org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void jaegerIsAskedInMicrosecondsAndZipkinInMillisecondsWithLookback() throws IOException {
        serve("jaeger", "slow-payments", "traces-slow-payments.json", "traces-baseline.json");
        slowest(source("jaeger"));
        wm.verify(getRequestedFor(urlPathEqualTo("/api/traces")).withQueryParam("service", equalTo("checkout"))
                .withQueryParam("start", equalTo("1795946400000000")).withQueryParam("end", equalTo("1795948200000000"))
                .withQueryParam("limit", equalTo("100")));
        wm.resetAll();
        serve("zipkin", "slow-payments", null, null);
        slowest(source("zipkin"));
        wm.verify(getRequestedFor(urlPathEqualTo("/api/v2/traces")).withQueryParam("serviceName", equalTo("checkout"))
                .withQueryParam("endTs", equalTo("1795948200000")).withQueryParam("lookback", equalTo("1800000")));
        wm.verify(getRequestedFor(urlPathEqualTo("/api/v2/traces")).withQueryParam("endTs", equalTo("1795946400000"))
                .withQueryParam("lookback", equalTo("3600000")));
    }

    @Test
    void tempoEscapesTheServiceInsideTraceQl() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/api/search")).willReturn(okJson("{\"traces\":[]}")));
        source("tempo").traces("pay\"ments\\x", AT, NOW, 5);
        wm.verify(getRequestedFor(urlPathEqualTo("/api/search"))
                .withQueryParam("q", equalTo("{ resource.service.name = \"pay\\\"ments\\\\x\" }")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zipkin", "jaeger", "tempo"})
    void noTracesIsNoData(String kind) {
        String empty = switch (kind) {
            case "zipkin" -> "[]";
            case "jaeger" -> "{\"data\":[],\"errors\":null}";
            default -> "{\"traces\":[]}";
        };
        wm.stubFor(get(urlPathMatching("/api/.*")).willReturn(okJson(empty)));
        Evidence e = slowest(source(kind));
        assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA);
        assertThat(e.reason()).contains("0 in the alert window");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zipkin", "jaeger", "tempo"})
    void a5xxIsRetriedThenSucceeds(String kind) throws IOException {
        serve(kind, "slow-payments", "traces-slow-payments.json", "traces-baseline.json");
        String path = switch (kind) {
            case "zipkin" -> "/api/v2/traces";
            case "jaeger" -> "/api/traces";
            default -> "/api/search";
        };
        wm.stubFor(get(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("upstream connect error")).willSetStateTo("recovered"));
        Evidence e = slowest(source(kind));
        assertThat(e.values()).containsEntry("dependency", "payments");
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo(path))).size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void a429WaitsTheRetryAfterAndAPersistent5xxIsErrorEvidenceWithTheReason() {
        wm.stubFor(get(urlPathEqualTo("/api/v2/traces")).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("slow down")).willSetStateTo("ok"));
        wm.stubFor(get(urlPathEqualTo("/api/v2/traces")).inScenario("limited").whenScenarioStateIs("ok").willReturn(okJson("[]")));
        long t0 = System.nanoTime();
        Evidence limited = slowest(source("zipkin"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(limited.status()).isEqualTo(Evidence.Status.NO_DATA);

        wm.resetAll();
        wm.stubFor(get(urlPathEqualTo("/api/v2/traces")).willReturn(aResponse().withStatus(500).withBody("storage backend down")));
        Evidence down = slowest(source("zipkin"));
        assertThat(down.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(down.reason()).isEqualTo("Zipkin answered 500: storage backend down").doesNotContain(SECRET);
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/api/v2/traces")))).hasSize(3);
    }

    @Test
    void a4xxIsNotRetriedAndCarriesTheBody() {
        wm.stubFor(get(urlPathEqualTo("/api/traces")).willReturn(aResponse().withStatus(400)
                .withBody("{\"data\":null,\"errors\":[{\"code\":400,\"msg\":\"parameter 'service' is required\"}]}")));
        Evidence e = slowest(source("jaeger"));
        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).startsWith("Jaeger answered 400: ").contains("parameter 'service' is required");
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/api/traces")))).hasSize(1);
    }

    @Test
    void aSlowBackendIsTimeoutEvidence() {
        wm.stubFor(get(urlPathEqualTo("/api/v2/traces")).willReturn(okJson("[]").withFixedDelay(5000)));
        Evidence e = slowest(source("zipkin"));
        assertThat(e.status()).isEqualTo(Evidence.Status.TIMEOUT);
        assertThat(e.reason()).isEqualTo("Zipkin did not answer within 2500 ms");
    }

    @Test
    void aRetryAfterLongerThanWeWaitFailsAtOnceSayingSo() {
        wm.stubFor(get(urlPathEqualTo("/api/v2/traces")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        Evidence e = slowest(source("zipkin"));
        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).contains("429").contains("Retry-After 120s");
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/api/v2/traces")))).hasSize(1);
    }

    @Test
    void noBackendConfiguredIsSkippedEvidenceSayingSo() {
        Evidence e = slowest(null);
        assertThat(e.status()).isEqualTo(Evidence.Status.SKIPPED);
        assertThat(e.reason()).contains("rootcause.sources.traces.kind");
    }

    @Test
    void tracesErrorsFindsWhereFailuresStartInTheSharedFixture() throws Exception {
        // the team's shared wire-format sample, copied into the repository so the test reads the same bytes everywhere
        String body = Files.readString(FIXTURES.resolve("zipkin/shared-zipkin-v2-traces.json"));
        wm.stubFor(get(urlPathEqualTo("/api/v2/traces")).willReturn(okJson(body)));
        Rule.Step step = new Rule.Step("errors", "traces.errors", List.of(), Map.of("service", "checkout", "min_traces", 1), null);
        Evidence e = new TracesErrorsStep(source("zipkin")).run(step, alert(), Map.of(), Map.of());
        assertThat(e.status()).as(e.reason()).isEqualTo(Evidence.Status.OK);
        assertThat(e.values().get("error_traces_after")).isEqualTo(1L);
        assertThat(e.values().get("top_service")).isIn("payments", "redis");
    }
}
