package dev.rootcause.ticket.github;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** WireMock standing in for the GitHub REST API; the service's tracker set to GitHub against it. */
public class GitHubWireMock implements QuarkusTestResourceLifecycleManager {

    static WireMockServer server;
    /** {@code rootcause.external-url}: issue bodies open with the incident page's link under it. */
    static final String EXTERNAL_URL = "https://rootcause.example/rc";

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of("rootcause.tickets.kind", "github",
                "rootcause.tickets.github.url", "http://127.0.0.1:" + server.port(),
                "rootcause.tickets.github.repository", "example-org/svc-incidents",
                "rootcause.tickets.github.token", "ghs_test_secret_token",
                "rootcause.tickets.github.timeout", "2s",
                "rootcause.external-url", EXTERNAL_URL);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
