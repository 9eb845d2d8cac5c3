package dev.rootcause.ticket.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.rootcause.ticket.jira.JiraWireMock.fixture;
import static dev.rootcause.ticket.jira.JiraWireMock.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.effect.TicketTracker;
import dev.rootcause.incident.outbox.EffectRetryException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Jira tracker called directly, as Jira Cloud (REST v3: ADF, basic auth, eventually consistent
 * {@code /search/jql}) and for the lifecycle calls, against WireMock. The service around it runs with
 * the Data Center configuration of {@link JiraWireMock}; this test builds its own Cloud tracker.
 */
@QuarkusTest
@QuarkusTestResource(value = JiraWireMock.class, restrictToAnnotatedClass = true)
class JiraCloudTest {

    static final String ISSUE = "/rest/api/3/issue";
    static final String SEARCH = "/rest/api/3/search/jql";

    @Inject
    ObjectMapper json;

    private final List<Duration> slept = new ArrayList<>();
    private JiraTicketTracker cloud;
    private final Incident incident = Reports.incident(42, "HighErrorRate on checkout", "critical");
    private final TicketTracker.TicketRef ticket = new TicketTracker.TicketRef("OPS-412", "x");

    @BeforeEach
    void setUp() {
        server.resetAll();
        slept.clear();
        cloud = new JiraTicketTracker(config(), json, slept::add);
    }

    @Test
    void createsWithAnAdfDescriptionAndBasicAuth() {
        server.stubFor(get(urlPathEqualTo(SEARCH)).willReturn(okJson("{\"issues\":[]}")));
        server.stubFor(post(urlEqualTo(ISSUE)).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody(fixture("jira-create-issue-response.json"))));
        TicketTracker.TicketRef ref = cloud.open(incident, Reports.sample(42), new TicketTracker.Attempt("ticket.open/incident-42", false));
        assertThat(ref.key()).isEqualTo("OPS-412");
        String basic = "Basic " + Base64.getEncoder().encodeToString("sre@example.com:cloud-api-token".getBytes(StandardCharsets.UTF_8));
        server.verify(1, postRequestedFor(urlEqualTo(ISSUE)).withHeader("Authorization", equalTo(basic))
                .withRequestBody(matchingJsonPath("$.fields.description.type", equalTo("doc")))
                .withRequestBody(matchingJsonPath("$.fields.description.version", equalTo("1")))
                .withRequestBody(matchingJsonPath("$.fields.labels[?(@ == 'rootcause-incident-42')]")));
        assertThat(slept).as("a first attempt searches once, without waiting").isEmpty();
    }

    @Test
    void aRetriedCreateWaitsForTheEventuallyConsistentSearchAndCreatesNothing() {
        server.stubFor(get(urlPathEqualTo(SEARCH)).inScenario("index").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"issues\":[]}")).willSetStateTo("still behind"));
        server.stubFor(get(urlPathEqualTo(SEARCH)).inScenario("index").whenScenarioStateIs("still behind")
                .willReturn(okJson("{\"issues\":[]}")).willSetStateTo("caught up"));
        server.stubFor(get(urlPathEqualTo(SEARCH)).inScenario("index").whenScenarioStateIs("caught up")
                .willReturn(okJson(fixture("jira-search-jql-found.json"))));
        TicketTracker.TicketRef ref = cloud.open(incident, Reports.sample(42), new TicketTracker.Attempt("ticket.open/incident-42", true));
        assertThat(ref.key()).isEqualTo("OPS-412");
        server.verify(3, getRequestedFor(urlPathEqualTo(SEARCH))
                .withQueryParam("jql", equalTo("project = \"OPS\" AND labels = \"rootcause-incident-42\" ORDER BY created ASC")));
        server.verify(0, postRequestedFor(urlEqualTo(ISSUE)));
        assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aRetriedCreateGivesUpSearchingAfterTheConfiguredRetriesThenCreatesOnce() {
        server.stubFor(get(urlPathEqualTo(SEARCH)).willReturn(okJson("{\"issues\":[]}")));
        server.stubFor(post(urlEqualTo(ISSUE)).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody(fixture("jira-create-issue-response.json"))));
        cloud.open(incident, Reports.sample(42), new TicketTracker.Attempt("ticket.open/incident-42", true));
        server.verify(4, getRequestedFor(urlPathEqualTo(SEARCH)));
        server.verify(1, postRequestedFor(urlEqualTo(ISSUE)));
        assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void commentsCarryTheEffectMarkerAndARetryFindsItsEarlierComment() {
        server.stubFor(post(urlEqualTo(ISSUE + "/OPS-412/comment")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"1\"}")));
        cloud.comment(ticket, incident, "Was: A\nNow: B", new TicketTracker.Attempt("ticket.comment/report-9", false));
        server.verify(1, postRequestedFor(urlEqualTo(ISSUE + "/OPS-412/comment"))
                .withRequestBody(matchingJsonPath("$.body.type", equalTo("doc")))
                .withRequestBody(matchingJsonPath("$.body.content[0].content[0].text", equalTo("Was: A")))
                .withRequestBody(matchingJsonPath("$.body.content[3].content[0].text", equalTo("rootcause effect ticket.comment/report-9"))));

        server.stubFor(get(urlPathEqualTo(ISSUE + "/OPS-412/comment")).willReturn(okJson("{\"startAt\":0,\"total\":1,\"comments\":[{\"body\":"
                + "{\"type\":\"doc\",\"version\":1,\"content\":[{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"rootcause effect ticket.comment/report-9\"}]}]}}]}")));
        cloud.comment(ticket, incident, "Was: A\nNow: B", new TicketTracker.Attempt("ticket.comment/report-9", true));
        server.verify(1, postRequestedFor(urlEqualTo(ISSUE + "/OPS-412/comment")));
    }

    @Test
    void closeAndReopenAreNoOpsWhenTheIssueIsAlreadyThereAndNameTheTransitionsOtherwise() {
        server.stubFor(get(urlPathEqualTo(ISSUE + "/OPS-412/transitions")).willReturn(okJson(
                "{\"transitions\":[{\"id\":\"11\",\"name\":\"Reopen Issue\"}]}")));
        server.stubFor(get(urlPathEqualTo(ISSUE + "/OPS-412")).willReturn(okJson(
                "{\"key\":\"OPS-412\",\"fields\":{\"status\":{\"name\":\"Closed\",\"statusCategory\":{\"key\":\"done\"}}}}")));
        TicketTracker.Attempt attempt = new TicketTracker.Attempt("ticket.close/incident-42/1", true);
        cloud.close(ticket, incident, attempt); // already done: nothing to send
        server.verify(0, postRequestedFor(urlPathEqualTo(ISSUE + "/OPS-412/transitions")));

        server.stubFor(get(urlPathEqualTo(ISSUE + "/OPS-412")).willReturn(okJson(
                "{\"key\":\"OPS-412\",\"fields\":{\"status\":{\"name\":\"In Review\",\"statusCategory\":{\"key\":\"indeterminate\"}}}}")));
        assertThatThrownBy(() -> cloud.close(ticket, incident, attempt)).hasMessage("Jira issue OPS-412 (status In Review) offers no"
                + " transition named \"Done\" (offered: Reopen Issue); set rootcause.tickets.jira.close-transition");
        cloud.reopen(ticket, incident, attempt); // "Reopen Issue" is not configured for this tracker, and the issue is open: nothing to do
        server.verify(0, postRequestedFor(urlPathEqualTo(ISSUE + "/OPS-412/transitions")));
    }

    @Test
    void rateLimitsCarryJirasWaitAndServerErrorsAreRetryable() {
        server.stubFor(post(urlEqualTo(ISSUE + "/OPS-412/comment")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "17")));
        assertThatThrownBy(() -> cloud.comment(ticket, incident, "x", new TicketTracker.Attempt("k", false)))
                .isInstanceOfSatisfying(EffectRetryException.class, e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(17)))
                .hasMessage("Jira answered 429 to add comment");
        server.stubFor(post(urlEqualTo(ISSUE + "/OPS-412/comment")).willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> cloud.comment(ticket, incident, "x", new TicketTracker.Attempt("k", false)))
                .isInstanceOf(IllegalStateException.class).hasMessage("Jira answered 503 to add comment")
                .hasMessageNotContaining("cloud-api-token");
    }

    @Test
    void theDescriptionOpensWithTheIncidentPagesLinkWhenItIsAbsolute() {
        JiraTicketTracker linked = new JiraTicketTracker(config(), json, slept::add,
                dev.rootcause.incident.IncidentLinks.of("https://rootcause.example/rc/"));
        com.fasterxml.jackson.databind.JsonNode first = linked.issue(Reports.incident(5, "Checkout slow", "critical"), Reports.sample(5))
                .at("/fields/description/content/0");
        org.assertj.core.api.Assertions.assertThat(first.toString()).contains("\"text\":\"Incident page\"")
                .contains("\"href\":\"https://rootcause.example/rc/incidents/5\"");
        org.assertj.core.api.Assertions.assertThat(cloud.issue(Reports.incident(5, "Checkout slow", "critical"), Reports.sample(5))
                .at("/fields/description").toString()).doesNotContain("Incident page");
    }

    private static JiraConfig config() {
        return new JiraConfig() {
            public Optional<URI> url() {
                return Optional.of(URI.create(JiraWireMock.url()));
            }

            public Flavour flavour() {
                return Flavour.CLOUD;
            }

            public Optional<String> token() {
                return Optional.of("cloud-api-token");
            }

            public Optional<String> email() {
                return Optional.of("sre@example.com");
            }

            public Optional<String> project() {
                return Optional.of("OPS");
            }

            public String issueType() {
                return "Bug";
            }

            public Map<String, String> priority() {
                return Map.of();
            }

            public List<String> labels() {
                return List.of("rootcause");
            }

            public Map<String, String> fields() {
                return Map.of();
            }

            public String closeTransition() {
                return "Done";
            }

            public String reopenTransition() {
                return "Reopen";
            }

            public Duration timeout() {
                return Duration.ofSeconds(10);
            }

            public int searchRetries() {
                return 3;
            }

            public Duration searchBackoff() {
                return Duration.ofMillis(100);
            }
        };
    }
}
