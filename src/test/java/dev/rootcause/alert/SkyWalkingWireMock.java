package dev.rootcause.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Base64;
import java.util.Map;

/**
 * WireMock standing in for SkyWalking OAP's GraphQL API in {@link SkyWalkingIntakeTest}: the topology
 * ({@code getGlobalTopology}: frontend → checkout → payments, checkout → inventory, in the shape of
 * src/test/resources/wiremock/skywalking/getGlobalTopology.json) is stubbed before Quarkus starts, so the first
 * dependency graph build already holds it; the metrics (MQE) and traces ({@code findService}, {@code queryBasicTraces},
 * {@code queryTrace}; {@code rootcause.sources.traces.kind=skywalking}) are stubbed by the test.
 */
public class SkyWalkingWireMock implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    /** The running server. */
    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(post(urlPathEqualTo("/graphql")).withRequestBody(containing("getGlobalTopology")).atPriority(1)
                .willReturn(okJson(topology())));
        return Map.of("rootcause.sources.skywalking.url", "http://127.0.0.1:" + server.port(),
                "rootcause.sources.skywalking.topology", "true",
                "rootcause.sources.skywalking.timeout", "2s",
                "rootcause.sources.items.kind", "skywalking",
                "rootcause.sources.traces.kind", "skywalking",
                "rootcause.rules.dir", "rules");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static String id(String name) {
        return Base64.getEncoder().encodeToString(name.getBytes()) + ".1";
    }

    private static String topology() {
        StringBuilder nodes = new StringBuilder();
        for (String n : new String[] {"frontend", "checkout", "payments", "inventory"}) {
            nodes.append(nodes.isEmpty() ? "" : ",").append("{\"id\":\"").append(id(n)).append("\",\"name\":\"").append(n)
                    .append("\",\"type\":\"SpringMVC\",\"isReal\":true,\"layers\":[\"GENERAL\"]}");
        }
        StringBuilder calls = new StringBuilder();
        for (String[] c : new String[][] {{"frontend", "checkout"}, {"checkout", "payments"}, {"checkout", "inventory"}}) {
            calls.append(calls.isEmpty() ? "" : ",").append("{\"id\":\"").append(id(c[0])).append('-').append(id(c[1]))
                    .append("\",\"source\":\"").append(id(c[0])).append("\",\"target\":\"").append(id(c[1]))
                    .append("\",\"detectPoints\":[\"CLIENT\",\"SERVER\"]}");
        }
        return "{\"data\":{\"topology\":{\"nodes\":[" + nodes + "],\"calls\":[" + calls + "]}}}";
    }
}
