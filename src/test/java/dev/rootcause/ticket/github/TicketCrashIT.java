package dev.rootcause.ticket.github;

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
 * Exactly one ticket across a crash: the packaged service is SIGKILLed after GitHub (WireMock) received
 * the create but before the answer came back; after the restart the tracker finds the issue by its
 * incident label, creates nothing more, and the incident holds that issue.
 */
class TicketCrashIT {

    private static final String ISSUES = "/repos/example-org/svc-incidents/issues";

    @TempDir
    Path workDir;
    private WireMockServer github;

    @BeforeEach
    void startGitHub() {
        github = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        github.start();
    }

    @AfterEach
    void stopGitHub() {
        github.stop();
    }

    @Test
    void createWhoseAnswerWasLostIsNotRepeated() throws Exception {
        String issue;
        try (var in = getClass().getResourceAsStream("/wiremock/github/github-create-issue-response.json")) {
            issue = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        github.stubFor(get(urlPathEqualTo(ISSUES)).willReturn(okJson("[]")));
        // GitHub takes the create but the answer never arrives before the crash
        github.stubFor(post(urlEqualTo(ISSUES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(issue).withFixedDelay(60_000)));
        Map<String, String> config = TicketCrash.config(workDir, Map.of(
                "rootcause.tickets.kind", "github",
                "rootcause.tickets.github.url", "http://127.0.0.1:" + github.port(),
                "rootcause.tickets.github.repository", "example-org/svc-incidents",
                "rootcause.tickets.github.token", "t",
                "rootcause.tickets.github.timeout", "120s"));
        try (PackagedApp app = new PackagedApp(workDir)) {
            app.start(config);
            ObjectNode body = Payloads.unique("alertmanager-firing-2-alerts.json");
            assertThat(app.post("/api/v1/alerts/alertmanager", body.toString()).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> github.countRequestsMatching(postRequestedFor(urlEqualTo(ISSUES)).build()).getCount() == 1);
            app.kill();

            // GitHub now has the issue, labelled for the incident; its create answer was lost with the process
            github.stubFor(get(urlPathEqualTo(ISSUES)).willReturn(okJson("[" + issue + "]")));
            app.start(config);
            JsonNode incident = TicketCrash.awaitTicket(app, body.get("groupKey").asText());
            assertThat(incident.at("/ticket/key").asText()).isEqualTo("#87");
            assertThat(github.countRequestsMatching(postRequestedFor(urlEqualTo(ISSUES)).build()).getCount())
                    .as("creates sent across the crash").isEqualTo(1);
        }
    }
}
