package dev.rootcause.source.metrics;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * WireMock standing in for the Prometheus HTTP API in {@code @QuarkusTest}s: a dynamic loopback port,
 * {@code rootcause.sources.prometheus.url} pointed at it, a 2 s timeout so timeouts are quick to provoke (yet a loaded CI machine still answers in time),
 * a bearer token the tests look for in requests (and never in reasons), short retry backoffs.
 */
public class PrometheusWireMock implements QuarkusTestResourceLifecycleManager {

    /** The bearer token the adapter is configured with. */
    public static final String TOKEN = "prom-test-token-5f4dcc3b5aa7";

    private static WireMockServer server;

    /** The running server; tests reset and stub it. */
    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of("rootcause.sources.prometheus.url", "http://127.0.0.1:" + server.port(),
                "rootcause.sources.prometheus.timeout", "2s",
                "rootcause.sources.prometheus.token", TOKEN,
                "rootcause.sources.prometheus.backoff", "20ms",
                // tests provoke failures on purpose; the circuit breaker has its own test (HttpGuardTest)
                "rootcause.sources.prometheus.circuit-failures", "1000",
                "rootcause.rules.dir", "rules");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** A recorded Prometheus answer from src/test/resources/wiremock/prometheus. */
    public static String fixture(String name) {
        try (InputStream in = PrometheusWireMock.class.getResourceAsStream("/wiremock/prometheus/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException("no fixture " + name, e);
        }
    }
}
