package dev.rootcause.source.kubernetes;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * WireMock standing in for the Kubernetes API server: dynamic loopback port, the Kubernetes change source
 * enabled against it with a token the tests look for (and must never find in a reason), a 1 s timeout and
 * short backoffs so retries and timeouts are quick.
 */
public class KubernetesWireMock implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = "k8s-test-token-d41d8cd98f00";
    private static WireMockServer server;

    static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of("rootcause.sources.kubernetes.enabled", "true",
                "rootcause.sources.kubernetes.url", "http://127.0.0.1:" + server.port(),
                "rootcause.sources.kubernetes.token", TOKEN,
                "rootcause.sources.kubernetes.namespace", "shop",
                "rootcause.sources.kubernetes.timeout", "1s",
                "rootcause.sources.kubernetes.backoff", "20ms",
                "rootcause.sources.kubernetes.circuit-failures", "1000");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static String fixture(String name) {
        try (InputStream in = KubernetesWireMock.class.getResourceAsStream("/wiremock/kubernetes/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
