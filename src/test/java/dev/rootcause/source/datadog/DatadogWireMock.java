package dev.rootcause.source.datadog;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * WireMock standing in for Datadog's API (api.datadoghq.eu cannot be reached from tests): a loopback port,
 * {@code rootcause.sources.datadog.url} pointed at it, test keys the tests look for in requests (and never in
 * reasons or logs), short backoffs. The {@link Profile} makes Datadog the metrics backend with the shipped rules, so
 * every test class of the profile shares one application.
 */
public class DatadogWireMock implements QuarkusTestResourceLifecycleManager {

    /** The API key configured; must never show in a reason or a log line. */
    public static final String API_KEY = "dd-api-key-7c1e4b2a9f3d";
    public static final String APP_KEY = "dd-app-key-0b5d2e8c6a41";

    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of("rootcause.sources.datadog.url", "http://127.0.0.1:" + server.port());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** A recorded Datadog answer from src/test/resources/wiremock/datadog (SOURCES.md there). */
    public static String fixture(String name) {
        try (InputStream in = DatadogWireMock.class.getResourceAsStream("/wiremock/datadog/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("no fixture " + name, e));
        }
    }

    /** Datadog as metrics backend, service map and change feed, with the shipped rules. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("rootcause.sources.metrics.kind", "datadog"),
                    Map.entry("rootcause.sources.datadog.site", "datadoghq.eu"),
                    Map.entry("rootcause.sources.datadog.api-key", API_KEY),
                    Map.entry("rootcause.sources.datadog.application-key", APP_KEY),
                    Map.entry("rootcause.sources.datadog.env", "prod"),
                    Map.entry("rootcause.sources.datadog.graph", "true"),
                    Map.entry("rootcause.sources.datadog.timeout", "2s"),
                    Map.entry("rootcause.sources.datadog.backoff", "20ms"),
                    Map.entry("rootcause.sources.datadog.max-retry-after", "2s"),
                    Map.entry("rootcause.sources.datadog.circuit-failures", "1000"),
                    Map.entry("rootcause.sources.datadog.events.page-limit", "2"),
                    Map.entry("rootcause.rules.dir", "rules"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatadogWireMock.class));
        }
    }
}
