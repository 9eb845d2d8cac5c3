package dev.rootcause.ticket.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.rootcause.ticket.jira.JiraWireMock.fixture;
import static dev.rootcause.ticket.jira.JiraWireMock.server;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import dev.rootcause.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jira Data Center (REST v2) as the tracker, through the outbox, with WireMock as Jira and an injected
 * clock: create, close and reopen by transition, field errors, 429, 5xx, repeated deliveries and a
 * 10-minute outage. Every test counts the issues Jira created per incident: exactly one each.
 */
@QuarkusTest
@QuarkusTestResource(value = JiraWireMock.class, restrictToAnnotatedClass = true)
class JiraTicketTrackerTest {

    static final String ISSUE = "/rest/api/2/issue";
    static final String SEARCH = "/rest/api/2/search";
    static final Instant T0 = Instant.parse("2026-06-01T03:00:00Z");

    @Inject
    TestClock clock;

    @Inject
    dev.rootcause.incident.effect.TicketRetry retries;

    @BeforeEach
    void reset() {
        server.resetAll();
        server.stubFor(get(urlPathEqualTo(SEARCH)).willReturn(okJson("{\"startAt\":0,\"maxResults\":1,\"total\":0,\"issues\":[]}")));
        server.stubFor(get(urlPathEqualTo(ISSUE + "/OPS-412/transitions")).willReturn(okJson(fixture("jira-transitions.json"))));
        server.stubFor(post(urlPathEqualTo(ISSUE + "/OPS-412/transitions")).willReturn(aResponse().withStatus(204)));
        clock.set(T0);
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void opensClosesAndReopensOneIssue() {
        created();
        ObjectNode firing = Payloads.unique("alertmanager-firing-2-alerts.json");
        long id = postAlert(firing);
        JsonNode incident = awaitTicket(id);
        assertThat(incident.at("/ticket/key").asText()).isEqualTo("OPS-412");
        assertThat(incident.at("/ticket/url").asText()).isEqualTo(JiraWireMock.url() + "/browse/OPS-412");
        server.verify(1, postRequestedFor(urlEqualTo(ISSUE))
                .withHeader("Authorization", equalTo("Bearer " + JiraWireMock.PAT))
                .withRequestBody(matchingJsonPath("$.fields.project.key", equalTo("OPS")))
                .withRequestBody(matchingJsonPath("$.fields.issuetype.name", equalTo("Incident")))
                .withRequestBody(matchingJsonPath("$.fields.priority.name", equalTo("Highest")))
                .withRequestBody(matchingJsonPath("$.fields.customfield_10010", equalTo("Platform")))
                .withRequestBody(matchingJsonPath("$.fields.components[0].name", equalTo("checkout")))
                .withRequestBody(matchingJsonPath("$.fields.labels[?(@ == 'rootcause-incident-" + id + "')]"))
                .withRequestBody(matchingJsonPath("$.fields.labels[?(@ == 'rootcause')]"))
                .withRequestBody(matchingJsonPath("$.fields.description", WireMock.containing("*Root cause")))
                .withRequestBody(matchingJsonPath("$.fields.summary", equalTo(incident.get("title").asText()))));
        server.verify(WireMock.getRequestedFor(urlPathEqualTo(SEARCH)).withQueryParam("jql",
                equalTo("project = \"OPS\" AND labels = \"rootcause-incident-" + id + "\" ORDER BY created ASC")));

        clock.advance(Duration.ofMinutes(5));
        Api.post("alertmanager", Payloads.withStatus(firing, "resolved").toString()).then().statusCode(202);
        Api.awaitTimeline(id, "ticket_closed", 1);
        server.verify(1, postRequestedFor(urlEqualTo(ISSUE + "/OPS-412/transitions"))
                .withRequestBody(equalToJson("{\"transition\":{\"id\":\"31\"}}")));

        clock.advance(Duration.ofMinutes(5));
        ObjectNode again = firing.deepCopy();
        again.withArray("alerts").forEach(a -> ((ObjectNode) a).put("startsAt", "2026-06-01T03:09:00Z"));
        Api.post("alertmanager", again.toString()).then().statusCode(202);
        Api.awaitTimeline(id, "ticket_reopened", 1);
        server.verify(1, postRequestedFor(urlEqualTo(ISSUE + "/OPS-412/transitions"))
                .withRequestBody(equalToJson("{\"transition\":{\"id\":\"41\"}}")));
        assertThat(issuesCreated(id)).as("issues created for the incident").isEqualTo(1);
    }

    @Test
    void fieldErrorsDeadLetterTheCreateWithAMessageNamingTheField() {
        server.stubFor(post(urlEqualTo(ISSUE)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(fixture("jira-error-400.json"))));
        long id = postAlert(Payloads.unique("alertmanager-firing-2-alerts.json"));
        JsonNode dead = awaitOpenEffect(id, e -> e.get("status").asText().equals("dead"));
        assertThat(dead.get("attempts").asInt()).isEqualTo(1);
        assertThat(dead.get("lastError").asText())
                .contains("Jira answered 400 to create issue")
                .contains("customfield_10042: Field 'customfield_10042' cannot be set. It is not on the appropriate screen, or unknown.")
                .contains("summary: Summary can't exceed 255 characters.")
                .contains("components: Component/s is required.")
                .doesNotContain(JiraWireMock.PAT);
        assertThat(Api.incident(id).get("timeline").toString()).contains("ticket.open was refused");
        assertThat(awaitEffect(id, "chat.failed").get("chatText").asText()).as("the thread names Jira's fields")
                .startsWith("Ticket not opened: the tracker refused it — Jira answered 400 to create issue: ")
                .contains("components: Component/s is required.")
                .endsWith(". Fix the cause, then press Retry (or POST /api/v1/outbox/" + dead.get("id").asLong() + "/retry).");

        created(); // the configuration is fixed: retrying by hand delivers it
        given().post("/api/v1/outbox/" + dead.get("id").asLong() + "/retry").then().statusCode(200);
        assertThat(awaitTicket(id).at("/ticket/key").asText()).isEqualTo("OPS-412");
        assertThat(issuesCreated(id)).isEqualTo(1);
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() {
        server.stubFor(post(urlEqualTo(ISSUE)).inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")
                        .withBody("{\"errorMessages\":[\"Rate limit exceeded.\"],\"errors\":{}}"))
                .willSetStateTo("open"));
        server.stubFor(post(urlEqualTo(ISSUE)).inScenario("limit").whenScenarioStateIs("open").willReturn(createdResponse()));
        long id = postAlert(Payloads.unique("alertmanager-firing-2-alerts.json"));
        JsonNode limited = awaitOpenEffect(id, e -> e.get("attempts").asInt() == 1);
        assertThat(limited.get("lastError").asText()).isEqualTo("Jira answered 429 to create issue: Rate limit exceeded.");
        assertThat(Instant.parse(limited.get("nextAttemptAt").asText())).isEqualTo(T0.plusSeconds(30));
        clock.advance(Duration.ofSeconds(29));
        assertThat(awaitOpenEffect(id, e -> true).get("status").asText()).isEqualTo("pending");
        clock.advance(Duration.ofSeconds(2));
        assertThat(awaitTicket(id).at("/ticket/key").asText()).isEqualTo("OPS-412");
        assertThat(issuesCreated(id)).isEqualTo(1);
    }

    @Test
    void aPermissionRefusalIsDeadAtOnceAndToldInTheThread() {
        server.stubFor(post(urlEqualTo(ISSUE)).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"You do not have permission to create issues in this project.\"],\"errors\":{}}")));
        long id = postAlert(Payloads.unique("alertmanager-firing-2-alerts.json"));
        JsonNode dead = awaitOpenEffect(id, e -> e.get("status").asText().equals("dead"));
        assertThat(dead.get("attempts").asInt()).as("no repeat gets past a 403 without a rate limit").isEqualTo(1);
        assertThat(awaitEffect(id, "chat.failed").get("chatText").asText()).isEqualTo("Ticket not opened: the tracker refused it —"
                + " Jira answered 403 to create issue: You do not have permission to create issues in this project. Fix the cause,"
                + " then press Retry (or POST /api/v1/outbox/" + dead.get("id").asLong() + "/retry).");

        created(); // the permission is granted: the Retry button delivers it
        assertThat(retries.retry(id, "bob")).isEqualTo(1);
        assertThat(awaitTicket(id).at("/ticket/key").asText()).isEqualTo("OPS-412");
        assertThat(Api.incident(id).get("timeline").toString()).contains("bob retried 1 ticket effect");
        assertThat(issuesCreated(id)).isEqualTo(1);
    }

    @Test
    void serverErrorIsRetriedThenSucceeds() {
        server.stubFor(post(urlEqualTo(ISSUE)).inScenario("5xx").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>")).willSetStateTo("up"));
        server.stubFor(post(urlEqualTo(ISSUE)).inScenario("5xx").whenScenarioStateIs("up").willReturn(createdResponse()));
        long id = postAlert(Payloads.unique("alertmanager-firing-2-alerts.json"));
        JsonNode failed = awaitOpenEffect(id, e -> e.get("attempts").asInt() == 1);
        assertThat(failed.get("lastError").asText()).isEqualTo("Jira answered 502 to create issue");
        clock.advance(Duration.ofSeconds(2)); // first backoff: 1 s ± 25 %
        assertThat(awaitTicket(id).at("/ticket/key").asText()).isEqualTo("OPS-412");
        // the retry searched the label first (the 502 might have come after Jira created the issue)
        assertThat(server.findAll(WireMock.getRequestedFor(urlPathEqualTo(SEARCH))).size()).isEqualTo(2);
        assertThat(issuesCreated(id)).isEqualTo(1);
    }

    @Test
    void deliveriesOfOneGroupTwoAndFortySecondsApartMakeOneIssue() {
        created();
        ObjectNode first = Payloads.unique("alertmanager-firing-2-alerts.json");
        long id = postAlert(first);
        clock.advance(Duration.ofSeconds(2));
        ObjectNode second = first.deepCopy(); // the same group, one alert's annotations changed: not a duplicate delivery
        ((ObjectNode) second.withArray("alerts").get(0)).put("startsAt", "2026-06-01T02:59:00Z");
        Api.post("alertmanager", second.toString()).then().statusCode(202);
        clock.advance(Duration.ofSeconds(38));
        ObjectNode third = first.deepCopy();
        ((ObjectNode) third.withArray("alerts").get(1)).put("startsAt", "2026-06-01T02:58:00Z");
        Api.post("alertmanager", third.toString()).then().statusCode(202);
        Api.awaitTimeline(id, "alerts", 3);
        awaitTicket(id);
        assertThat(Api.incidentsOfGroup(first.get("groupKey").asText())).hasSize(1);
        assertThat(issuesCreated(id)).isEqualTo(1);
        assertThat(server.findAll(postRequestedFor(urlEqualTo(ISSUE)))).hasSize(1);
    }

    @Test
    void aTenMinuteOutageEndsWithEveryIssueCreatedOnceAndNothingDead() {
        server.stubFor(WireMock.any(WireMock.anyUrl()).atPriority(1).willReturn(aResponse().withStatus(503)
                .withBody("<html>Service Unavailable</html>")));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(postAlert(Payloads.unique("alertmanager-firing-2-alerts.json")));
        }
        Instant end = T0.plus(Duration.ofMinutes(10));
        while (clock.instant().isBefore(end)) {
            settle(ids);
            clock.advance(Duration.ofSeconds(20));
        }
        assertThat(ids).allSatisfy(id -> assertThat(awaitOpenEffect(id, e -> true).get("attempts").asInt())
                .as("attempts during the outage").isGreaterThanOrEqualTo(8));
        assertThat(issuesCreated(ids.get(0))).isZero();

        server.resetAll(); // Jira is back
        server.stubFor(get(urlPathEqualTo(SEARCH)).willReturn(okJson("{\"startAt\":0,\"maxResults\":1,\"total\":0,\"issues\":[]}")));
        created();
        clock.advance(Duration.ofMinutes(11)); // past the longest backoff (10 min + 25 %)
        for (long id : ids) {
            assertThat(awaitTicket(id).at("/ticket/key").asText()).isEqualTo("OPS-412");
            assertThat(issuesCreated(id)).as("issues created for incident " + id).isEqualTo(1);
        }
        given().get("/api/v1/outbox?status=dead&limit=1000").then().statusCode(200).body("size()", org.hamcrest.Matchers.is(0));
    }

    /** Waits until every open effect of the incidents is done or waits for a later time, unclaimed. */
    private void settle(List<Long> ids) {
        await().atMost(Api.DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> ids.stream().allMatch(id -> {
            JsonNode e = awaitOpenEffect(id, x -> true);
            return e.get("status").asText().equals("done") || (e.get("claimToken").isNull()
                    && Instant.parse(e.get("nextAttemptAt").asText()).isAfter(clock.instant()));
        }));
    }

    private static void created() {
        server.stubFor(post(urlEqualTo(ISSUE)).willReturn(createdResponse()));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder createdResponse() {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(fixture("jira-create-issue-response.json"));
    }

    /** Creates Jira answered 201 to, for the incident's label. */
    static long issuesCreated(long incidentId) {
        String label = "\"rootcause-incident-" + incidentId + "\"";
        return server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("POST") && e.getRequest().getUrl().equals(ISSUE))
                .filter(e -> e.getResponse().getStatus() == 201 && e.getRequest().getBodyAsString().contains(label))
                .count();
    }

    private static long postAlert(ObjectNode body) {
        Api.post("alertmanager", body.toString()).then().statusCode(202);
        return Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong();
    }

    private static JsonNode awaitTicket(long id) {
        return await().atMost(Api.DEADLINE).until(() -> Api.incident(id), i -> !i.get("ticket").isNull());
    }

    static JsonNode awaitEffect(long incidentId, String kind) {
        return await().atMost(Api.DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> StreamSupport.stream(Api.read(
                given().get("/api/v1/outbox?limit=1000").then().statusCode(200).extract().asString()).spliterator(), false)
                .filter(e -> e.get("incidentId").asLong() == incidentId && e.get("kind").asText().equals(kind))
                .findFirst().orElse(null), e -> e != null);
    }

    static JsonNode awaitOpenEffect(long incidentId, Predicate<JsonNode> condition) {
        return await().atMost(Api.DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> StreamSupport.stream(Api.read(
                given().get("/api/v1/outbox?limit=1000").then().statusCode(200).extract().asString()).spliterator(), false)
                .filter(e -> e.get("incidentId").asLong() == incidentId && e.get("kind").asText().equals("ticket.open"))
                .findFirst().orElse(null), e -> e != null && condition.test(e));
    }
}
