package dev.rootcause.source.probes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.rule.ServiceCatalogue;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract of {@code probe.http}'s HTTP prober against WireMock: success, empty, 4xx with body, 5xx → retry,
 * 429 → Retry-After, timeout, unreachable, redirects not followed, and the outgoing request itself.
 */
class JdkHttpProberTest {

    static WireMockServer server;
    static WireMockServer elsewhere;
    ServiceCatalogue catalogue;
    JdkHttpProber prober;

    @BeforeAll
    static void start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        elsewhere = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        elsewhere.start();
        // the first request of a JVM loads WireMock's and the HTTP client's classes: not part of any timing below
        try {
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/warm-up")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("WireMock did not answer", e);
        }
    }

    @AfterAll
    static void stop() {
        server.stop();
        elsewhere.stop();
    }

    @BeforeEach
    void catalogue(@TempDir Path dir) throws IOException {
        server.resetAll();
        elsewhere.resetAll();
        String base = "http://127.0.0.1:" + server.port();
        Files.writeString(dir.resolve("services.yaml"), """
                services:
                  checkout:
                    owner: t
                    dependencies:
                      - { name: auth,  health: "BASE/health?deep=1&who=a%20b", timeout: 1500ms, retries: 2 }
                      - { name: flaky, health: "BASE/flaky", timeout: 1500ms, retries: 2 }
                      - { name: slow,  health: "BASE/slow", timeout: 300ms, retries: 1 }
                      - { name: once,  health: "BASE/once", timeout: 1500ms, retries: 0 }
                      - { name: down,  health: "http://127.0.0.1:DEAD/health", timeout: 500ms, retries: 1 }
                """.replace("BASE", base).replace("DEAD", String.valueOf(deadPort())));
        catalogue = ServiceCatalogue.load(dir.resolve("services.yaml"));
        prober = JdkHttpProber.over(catalogue);
    }

    private HttpProber.ProbeResult probe(String name) throws Exception {
        return prober.probe(catalogue.find("checkout").orElseThrow().dependency(name).orElseThrow()).get(20, TimeUnit.SECONDS);
    }

    @Test
    void healthyAnswerSendsExactlyTheCataloguedRequest() throws Exception {
        server.stubFor(get(urlPathEqualTo("/health")).willReturn(aResponse().withStatus(200).withBody("{\"status\":\"UP\"}")));
        HttpProber.ProbeResult r = probe("auth");
        assertThat(r.outcome()).isEqualTo(HttpProber.Outcome.HEALTHY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.error()).isNull();
        assertThat(r.latencyMillis()).isPositive().isLessThan(1500);
        // the URL exactly as catalogued: path, parameters and their escaping untouched; no credentials sent
        server.verify(1, getRequestedFor(urlEqualTo("/health?deep=1&who=a%20b"))
                .withHeader("User-Agent", equalTo("rootcause-probe")).withHeader("Authorization", absent()));
    }

    @Test
    void emptyAnswerIsHealthy() throws Exception {
        server.stubFor(get(urlPathEqualTo("/health")).willReturn(aResponse().withStatus(204)));
        HttpProber.ProbeResult r = probe("auth");
        assertThat(r.outcome()).isEqualTo(HttpProber.Outcome.HEALTHY);
        assertThat(r.statusCode()).isEqualTo(204);
    }

    @Test
    void clientErrorIsUnhealthyWithTheBodyAndNotRetried() throws Exception {
        server.stubFor(get(urlPathEqualTo("/health")).willReturn(aResponse().withStatus(404).withBody("no route /health\u0007 here")));
        HttpProber.ProbeResult r = probe("auth");
        assertThat(r.outcome()).isEqualTo(HttpProber.Outcome.UNHEALTHY);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.error()).isEqualTo("HTTP 404: no route /health here");
        assertThat(r.attempts()).isEqualTo(1);
        server.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void serverErrorIsRetriedUntilItAnswers() throws Exception {
        server.stubFor(get("/flaky").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("warming up")).willSetStateTo("second"));
        server.stubFor(get("/flaky").inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(500)).willSetStateTo("third"));
        server.stubFor(get("/flaky").inScenario("flaky").whenScenarioStateIs("third").willReturn(aResponse().withStatus(200)));
        HttpProber.ProbeResult r = probe("flaky");
        assertThat(r.outcome()).isEqualTo(HttpProber.Outcome.HEALTHY);
        assertThat(r.attempts()).isEqualTo(3);
        server.verify(3, getRequestedFor(urlEqualTo("/flaky")));
    }

    @Test
    void serverErrorAfterAllRetriesIsUnhealthyWithItsReason() throws Exception {
        server.stubFor(get("/flaky").willReturn(aResponse().withStatus(502).withBody("bad gateway")));
        HttpProber.ProbeResult r = probe("flaky");
        assertThat(r.outcome()).isEqualTo(HttpProber.Outcome.UNHEALTHY);
        assertThat(r.attempts()).isEqualTo(3); // 1 + retries: 2
        assertThat(r.error()).isEqualTo("HTTP 502: bad gateway");
        server.verify(3, getRequestedFor(urlEqualTo("/flaky")));
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() throws Exception {
        server.stubFor(get("/flaky").inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        server.stubFor(get("/flaky").inScenario("429").whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200)));
        long start = System.nanoTime();
        HttpProber.ProbeResult r = probe("flaky");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(r.outcome()).isEqualTo(HttpProber.Outcome.HEALTHY);
        assertThat(r.attempts()).isEqualTo(2);
    }

    @Test
    void retryAfterLongerThanTheTimeoutIsNotWaitedFor() throws Exception {
        server.stubFor(get("/flaky").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120").withBody("slow down")));
        HttpProber.ProbeResult r = probe("flaky");
        assertThat(r.outcome()).isEqualTo(HttpProber.Outcome.UNHEALTHY);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.error()).isEqualTo("HTTP 429: slow down; asked to retry after 2m, longer than the timeout, not waited for");
    }

    @Test
    void noAnswerWithinTheTimeoutIsATimeoutAfterEachAttempt() throws Exception {
        server.stubFor(get("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        long start = System.nanoTime();
        HttpProber.ProbeResult r = probe("slow");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        assertThat(r.outcome()).isEqualTo(HttpProber.Outcome.TIMEOUT);
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(r.error()).isEqualTo("no answer within 300ms");
        assertThat(r.latencyMillis()).isBetween(250.0, 1500.0);
        server.verify(2, getRequestedFor(urlEqualTo("/slow")));
    }

    @Test
    void refusedConnectionIsUnreachable() throws Exception {
        HttpProber.ProbeResult r = probe("down");
        assertThat(r.outcome()).isEqualTo(HttpProber.Outcome.UNREACHABLE);
        assertThat(r.statusCode()).isZero();
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(r.error()).startsWith("connection failed: ConnectException");
    }

    @Test
    void redirectIsNotFollowed() throws Exception {
        String evil = "http://127.0.0.1:" + elsewhere.port() + "/steal";
        server.stubFor(get("/once").willReturn(aResponse().withStatus(302).withHeader("Location", evil)));
        HttpProber.ProbeResult r = probe("once");
        assertThat(r.outcome()).isEqualTo(HttpProber.Outcome.UNHEALTHY);
        assertThat(r.error()).isEqualTo("HTTP 302, redirect to " + evil + " not followed (probes reach only catalogued URLs)");
        elsewhere.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aDependencyNotInTheCatalogueIsRefusedWithoutARequest() {
        var forged = new ServiceCatalogue.Dependency("auth", URI.create("http://127.0.0.1:" + elsewhere.port() + "/health"),
                Duration.ofSeconds(1), 0);
        assertThatThrownBy(() -> prober.probe(forged).get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(HttpProber.ProbeException.class)
                .hasMessageContaining("not a health URL in services.yaml");
        elsewhere.verify(0, anyRequestedFor(anyUrl()));
    }

    private static int deadPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort(); // closed again: nothing listens there
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
