package dev.rootcause.ticket.jira;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** WireMock standing in for Jira Data Center (REST v2); the service's tracker set to Jira against it. */
public class JiraWireMock implements QuarkusTestResourceLifecycleManager {

    static final String PAT = "jira-pat-test-secret";
    static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        Map<String, String> config = new HashMap<>();
        config.put("rootcause.tickets.kind", "jira");
        config.put("rootcause.tickets.jira.url", url());
        config.put("rootcause.tickets.jira.token", PAT);
        config.put("rootcause.tickets.jira.project", "OPS");
        config.put("rootcause.tickets.jira.issue-type", "Incident");
        config.put("rootcause.tickets.jira.priority.critical", "Highest");
        config.put("rootcause.tickets.jira.fields.customfield_10010", "Platform");
        config.put("rootcause.tickets.jira.fields.components", "[{\"name\":\"checkout\"}]");
        config.put("rootcause.tickets.jira.reopen-transition", "Reopen Issue");
        config.put("rootcause.tickets.jira.timeout", "10s");
        return config;
    }

    static String url() {
        return "http://127.0.0.1:" + server.port();
    }

    static String fixture(String name) {
        try (var in = JiraWireMock.class.getResourceAsStream("/wiremock/jira/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
