package dev.rootcause.ticket.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.rootcause.ticket.github.GitHubWireMock.server;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import dev.rootcause.incident.effect.TicketTracker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GitHub Issues as the tracker, through the outbox, with WireMock as GitHub: outgoing requests checked. */
@QuarkusTest
@QuarkusTestResource(value = GitHubWireMock.class, restrictToAnnotatedClass = true)
class GitHubTicketTrackerTest {

    private static final String ISSUES = "/repos/example-org/svc-incidents/issues";

    @Inject
    GitHubTicketTracker tracker;

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    @Test
    void opensOneLabelledIssueWithTheReport() throws IOException {
        server.stubFor(get(urlPathEqualTo(ISSUES)).willReturn(okJson("[]")));
        server.stubFor(post(urlEqualTo(ISSUES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(fixture())));
        long id = postAlert();
        JsonNode incident = await().atMost(Api.DEADLINE).until(() -> Api.incident(id), i -> !i.get("ticket").isNull());
        assertThat(incident.at("/ticket/key").asText()).isEqualTo("#87");
        assertThat(incident.at("/ticket/url").asText()).isEqualTo("https://github.com/example-org/svc-incidents/issues/87");
        server.verify(1, postRequestedFor(urlEqualTo(ISSUES))
                .withHeader("Authorization", equalTo("Bearer ghs_test_secret_token"))
                .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
                .withRequestBody(matchingJsonPath("$.labels[?(@ == 'rootcause-incident-" + id + "')]"))
                .withRequestBody(matchingJsonPath("$.labels[?(@ == 'rootcause')]"))
                .withRequestBody(matchingJsonPath("$.body", com.github.tomakehurst.wiremock.client.WireMock.containing("# "))));
    }

    @Test
    void anIssueAlreadyLabelledForTheIncidentIsReusedNotCreatedAgain() throws IOException {
        server.stubFor(get(urlPathEqualTo(ISSUES)).willReturn(okJson("[" + fixture() + "]")));
        long id = postAlert();
        JsonNode incident = await().atMost(Api.DEADLINE).until(() -> Api.incident(id), i -> !i.get("ticket").isNull());
        assertThat(incident.at("/ticket/key").asText()).isEqualTo("#87");
        server.verify(0, postRequestedFor(urlEqualTo(ISSUES)));
    }

    @Test
    void rateLimitAndValidationErrorsAreClearAndNeverLeakTheToken() {
        server.stubFor(get(urlPathEqualTo(ISSUES)).willReturn(okJson("[]")));
        server.stubFor(post(urlEqualTo(ISSUES)).willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"Issue\",\"field\":\"title\",\"code\":\"missing_field\"}]}")));
        long id = postAlert();
        JsonNode effect = awaitEffect(id, e -> e.get("attempts").asInt() >= 1);
        assertThat(effect.get("lastError").asText()).isEqualTo("GitHub answered 422: Validation Failed; title: missing_field")
                .doesNotContain("ghs_test_secret_token");

        server.stubFor(post(urlEqualTo(ISSUES)).willReturn(aResponse().withStatus(403).withHeader("Retry-After", "120")
                .withHeader("x-ratelimit-remaining", "0").withBody("{\"message\":\"API rate limit exceeded\"}")));
        long id2 = postAlert();
        JsonNode limited = awaitEffect(id2, e -> e.get("attempts").asInt() >= 1);
        assertThat(limited.get("lastError").asText()).startsWith("GitHub answered 403: API rate limit exceeded");
        assertThat(java.time.Duration.between(java.time.Instant.parse(limited.get("updatedAt").asText()),
                java.time.Instant.parse(limited.get("nextAttemptAt").asText())).toSeconds()).isBetween(119L, 121L);
    }

    @Test
    void closesAsCompletedOnResolveAndReopensWhenTheGroupFiresAgain() throws IOException {
        server.stubFor(get(urlPathEqualTo(ISSUES)).willReturn(okJson("[]")));
        server.stubFor(post(urlEqualTo(ISSUES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(fixture())));
        server.stubFor(patch(urlEqualTo(ISSUES + "/87")).willReturn(okJson(fixture())));
        ObjectNode firing = Payloads.unique("alertmanager-firing-2-alerts.json");
        Api.post("alertmanager", firing.toString()).then().statusCode(202);
        long id = Api.awaitIncident(firing.get("groupKey").asText()).get("id").asLong();
        await().atMost(Api.DEADLINE).until(() -> Api.incident(id), i -> !i.get("ticket").isNull());

        Api.post("alertmanager", Payloads.withStatus(firing, "resolved").toString()).then().statusCode(202);
        Api.awaitTimeline(id, "ticket_closed", 1);
        server.verify(1, patchRequestedFor(urlEqualTo(ISSUES + "/87"))
                .withHeader("Authorization", equalTo("Bearer ghs_test_secret_token"))
                .withRequestBody(equalToJson("{\"state\":\"closed\",\"state_reason\":\"completed\"}")));

        ObjectNode again = firing.deepCopy();
        again.withArray("alerts").forEach(a -> ((ObjectNode) a).put("startsAt", java.time.Instant.now().toString()));
        Api.post("alertmanager", again.toString()).then().statusCode(202);
        Api.awaitTimeline(id, "ticket_reopened", 1);
        server.verify(1, patchRequestedFor(urlEqualTo(ISSUES + "/87"))
                .withRequestBody(equalToJson("{\"state\":\"open\",\"state_reason\":\"reopened\"}")));
        server.verify(1, postRequestedFor(urlEqualTo(ISSUES)));
    }

    @Test
    void aCommentIsPostedOnceEvenWhenItsAnswerWasLost() {
        TicketTracker.TicketRef ticket = new TicketTracker.TicketRef("#87", "https://github.com/example-org/svc-incidents/issues/87");
        server.stubFor(post(urlEqualTo(ISSUES + "/87/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":1}")));
        tracker.comment(ticket, null, "Was: A\nNow: B", new TicketTracker.Attempt("ticket.comment/report-5", false));
        server.verify(1, postRequestedFor(urlEqualTo(ISSUES + "/87/comments")).withRequestBody(matchingJsonPath("$.body",
                equalTo("Was: A\nNow: B\n<!-- rootcause:ticket.comment/report-5 -->"))));

        server.stubFor(get(urlPathEqualTo(ISSUES + "/87/comments")).willReturn(okJson(
                "[{\"id\":1,\"body\":\"Was: A\\nNow: B\\n<!-- rootcause:ticket.comment/report-5 -->\"}]")));
        tracker.comment(ticket, null, "Was: A\nNow: B", new TicketTracker.Attempt("ticket.comment/report-5", true));
        server.verify(1, postRequestedFor(urlEqualTo(ISSUES + "/87/comments")));
        tracker.comment(ticket, null, "Was: B\nNow: C", new TicketTracker.Attempt("ticket.comment/report-6", true));
        server.verify(2, postRequestedFor(urlEqualTo(ISSUES + "/87/comments")));
    }

    @Test
    void bodiesAreCutToGitHubsLimitOnACharacterBoundary() {
        String text = "x".repeat(GitHubTicketTracker.MAX_BODY - 30) + "😀".repeat(100);
        String cut = dev.rootcause.report.TextCut.cut(text, GitHubTicketTracker.MAX_BODY, "…(cut)");
        assertThat(cut.length()).isLessThanOrEqualTo(GitHubTicketTracker.MAX_BODY);
        assertThat(cut).endsWith("…(cut)");
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - "…(cut)".length() - 1))).isFalse();
    }

    private static long postAlert() {
        ObjectNode body = Payloads.unique("alertmanager-firing-2-alerts.json");
        Api.post("alertmanager", body.toString()).then().statusCode(202);
        return Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong();
    }

    private static JsonNode awaitEffect(long incidentId, java.util.function.Predicate<JsonNode> condition) {
        return await().atMost(Api.DEADLINE).until(() -> StreamSupport.stream(Api.read(given().get("/api/v1/outbox?limit=1000")
                        .then().statusCode(200).extract().asString()).spliterator(), false)
                .filter(e -> e.get("incidentId").asLong() == incidentId && e.get("kind").asText().equals("ticket.open"))
                .findFirst().orElse(null), e -> e != null && condition.test(e));
    }

    private static String fixture() throws IOException {
        try (var in = GitHubTicketTrackerTest.class.getResourceAsStream("/wiremock/github/github-create-issue-response.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
