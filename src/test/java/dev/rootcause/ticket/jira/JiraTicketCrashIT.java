package dev.rootcause.ticket.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.rootcause.PackagedApp;
import dev.rootcause.Payloads;
import dev.rootcause.ticket.TicketCrash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly one Jira issue across a crash: the packaged service is SIGKILLed after Jira (WireMock) received
 * the create but before its answer was stored; after the restart the label search (JQL) finds the
 * issue, no second create is sent, and the incident holds that issue's key.
 */
class JiraTicketCrashIT {

    private static final String ISSUE = "/rest/api/2/issue";
    private static final String SEARCH = "/rest/api/2/search";

    @TempDir
    Path workDir;
    private WireMockServer jira;

    @BeforeEach
    void startJira() {
        jira = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
    }

    @AfterEach
    void stopJira() {
        jira.stop();
    }

    @Test
    void createWhoseAnswerWasLostIsNotRepeated() throws Exception {
        jira.stubFor(get(urlPathEqualTo(SEARCH)).willReturn(okJson("{\"startAt\":0,\"maxResults\":1,\"total\":0,\"issues\":[]}")));
        // Jira takes the create but the answer never arrives before the crash
        jira.stubFor(post(urlEqualTo(ISSUE)).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody(fixture("jira-create-issue-response.json")).withFixedDelay(60_000)));
        Map<String, String> config = TicketCrash.config(workDir, Map.of(
                "rootcause.tickets.kind", "jira",
                "rootcause.tickets.jira.url", "http://127.0.0.1:" + jira.port(),
                "rootcause.tickets.jira.token", "pat",
                "rootcause.tickets.jira.project", "OPS",
                "rootcause.tickets.jira.timeout", "120s"));
        try (PackagedApp app = new PackagedApp(workDir)) {
            app.start(config);
            ObjectNode body = Payloads.unique("alertmanager-firing-2-alerts.json");
            assertThat(app.post("/api/v1/alerts/alertmanager", body.toString()).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> jira.countRequestsMatching(postRequestedFor(urlEqualTo(ISSUE)).build()).getCount() == 1);
            app.kill();

            // Jira now has the issue, labelled for the incident; its create answer was lost with the process
            jira.stubFor(get(urlPathEqualTo(SEARCH)).willReturn(okJson(fixture("jira-search-found.json"))));
            app.start(config);
            JsonNode incident = TicketCrash.awaitTicket(app, body.get("groupKey").asText());
            assertThat(incident.at("/ticket/key").asText()).isEqualTo("OPS-412");
            assertThat(jira.countRequestsMatching(postRequestedFor(urlEqualTo(ISSUE)).build()).getCount())
                    .as("creates sent across the crash").isEqualTo(1);
            String label = "rootcause-incident-" + incident.get("id").asLong();
            assertThat(jira.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(SEARCH)))
                    .stream().map(r -> r.queryParameter("jql").firstValue())).last().asString().contains(label);
        }
    }

    private String fixture(String name) throws java.io.IOException {
        try (var in = getClass().getResourceAsStream("/wiremock/jira/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
