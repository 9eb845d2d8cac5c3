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

    @Inject
    dev.rootcause.incident.effect.TicketRetry retries;

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
        String body = Api.read(server.findAll(postRequestedFor(urlEqualTo(ISSUES))).get(0).getBodyAsString()).get("body").asText();
        assertThat(body).as("the issue opens with the incident page's absolute link")
                .startsWith("[Incident page](" + GitHubWireMock.EXTERNAL_URL + "/incidents/" + id + ")\n\n");
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
    void rateLimitWaitsAndAValidationErrorIsDeadAtOnceNamingTheFieldWithoutTheToken() {
        server.stubFor(get(urlPathEqualTo(ISSUES)).willReturn(okJson("[]")));
        server.stubFor(post(urlEqualTo(ISSUES)).willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"Issue\",\"field\":\"title\",\"code\":\"missing_field\"}]}")));
        long id = postAlert();
        JsonNode effect = awaitEffect(id, e -> e.get("status").asText().equals("dead"));
        assertThat(effect.get("attempts").asInt()).as("a 422 is not retried until the horizon").isEqualTo(1);
        assertThat(effect.get("lastError").asText()).isEqualTo("GitHub answered 422: Validation Failed; title: missing_field")
                .doesNotContain("ghs_test_secret_token");

        server.stubFor(post(urlEqualTo(ISSUES)).willReturn(aResponse().withStatus(403).withHeader("Retry-After", "120")
                .withHeader("x-ratelimit-remaining", "0").withBody("{\"message\":\"API rate limit exceeded\"}")));
        long id2 = postAlert();
        JsonNode limited = awaitEffect(id2, e -> e.get("attempts").asInt() >= 1);
        assertThat(limited.get("status").asText()).as("a rate limit is waited out, not dead").isEqualTo("pending");
        assertThat(limited.get("lastError").asText()).startsWith("GitHub answered 403: API rate limit exceeded");
        assertThat(java.time.Duration.between(java.time.Instant.parse(limited.get("updatedAt").asText()),
                java.time.Instant.parse(limited.get("nextAttemptAt").asText())).toSeconds()).isBetween(119L, 121L);
    }

    @Test
    void aRefusedIssueIsToldInTheThreadInGitHubsOwnWordsAndRetryDeliversItOnceFixed() throws IOException {
        server.stubFor(get(urlPathEqualTo(ISSUES)).willReturn(okJson("[]")));
        // GitHub's own 422 for an issue body over its limit (as GitHub sends it, custom code with a message)
        server.stubFor(post(urlEqualTo(ISSUES)).willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"Issue\",\"code\":\"custom\","
                        + "\"field\":\"body\",\"message\":\"body is too long (maximum is 65536 characters)\"}],"
                        + "\"documentation_url\":\"https://docs.github.com/rest/issues/issues#create-an-issue\",\"status\":\"422\"}")));
        long id = postAlert();
        JsonNode dead = awaitEffect(id, e -> e.get("status").asText().equals("dead"));
        assertThat(dead.get("lastError").asText())
                .isEqualTo("GitHub answered 422: Validation Failed; body: body is too long (maximum is 65536 characters)");
        JsonNode told = await().atMost(Api.DEADLINE).until(() -> effects(id, "chat.failed").findFirst().orElse(null),
                e -> e != null && e.get("status").asText().equals("done"));
        assertThat(told.get("chatText").asText()).isEqualTo("Ticket not opened: the tracker refused it — GitHub answered 422:"
                + " Validation Failed; body: body is too long (maximum is 65536 characters). Fix the cause, then press Retry"
                + " (or POST /api/v1/outbox/" + dead.get("id").asLong() + "/retry).");
        assertThat(Api.incident(id).get("timeline").toString()).contains("ticket.open was refused");

        server.stubFor(post(urlEqualTo(ISSUES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(fixture())));
        assertThat(retries.retry(id, "alice")).as("the Retry button's action").isEqualTo(1);
        JsonNode incident = await().atMost(Api.DEADLINE).until(() -> Api.incident(id), i -> !i.get("ticket").isNull());
        assertThat(incident.at("/ticket/key").asText()).isEqualTo("#87");
        assertThat(incident.get("timeline").toString()).contains("alice retried 1 ticket effect");
        assertThat(retries.retry(id, "alice")).as("nothing dead any more").isZero();
        server.verify(2, postRequestedFor(urlEqualTo(ISSUES)));
    }

    @Test
    void aBodyOverGitHubsLimitContinuesInCommentsPostedOnceEvenWhenTheOpenIsRepeated() throws IOException {
        server.stubFor(get(urlPathEqualTo(ISSUES)).willReturn(okJson("[]")));
        server.stubFor(post(urlEqualTo(ISSUES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(fixture())));
        server.stubFor(post(urlEqualTo(ISSUES + "/87/comments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":1}")));
        dev.rootcause.report.Report report = LongReports.report(9, 150_000);
        String whole = dev.rootcause.report.render.MarkdownRenderer.render(report.outline());
        assertThat(whole.length()).as("the sample report is longer than two bodies").isGreaterThan(2 * GitHubTicketTracker.MAX_BODY);

        TicketTracker.TicketRef ref = tracker.open(LongReports.incident(9), report, new TicketTracker.Attempt("ticket.open/incident-9", false));
        assertThat(ref.key()).isEqualTo("#87");
        var created = server.findAll(postRequestedFor(urlEqualTo(ISSUES)));
        String body = Api.read(created.get(0).getBodyAsString()).get("body").asText();
        assertThat(body.length()).isLessThanOrEqualTo(GitHubTicketTracker.MAX_BODY);
        assertThat(body).endsWith("it continues in the first 2 comments below.)*");
        var comments = server.findAll(postRequestedFor(urlEqualTo(ISSUES + "/87/comments")));
        assertThat(comments).hasSize(2);
        StringBuilder joined = new StringBuilder(body.substring(0, body.indexOf("\n\n*(The report is longer")));
        for (int i = 0; i < comments.size(); i++) {
            String c = Api.read(comments.get(i).getBodyAsString()).get("body").asText();
            assertThat(c.length()).isLessThanOrEqualTo(GitHubTicketTracker.MAX_BODY);
            String head = "Report, continued (" + (i + 1) + "/2):\n\n";
            String marker = "\n<!-- rootcause:ticket.open/incident-9/part-" + (i + 1) + " -->";
            assertThat(c).startsWith(head).endsWith(marker);
            joined.append(c, head.length(), c.length() - marker.length());
        }
        assertThat(joined.toString()).as("nothing of the report is lost, after the page's link")
                .isEqualTo("[Incident page](" + GitHubWireMock.EXTERNAL_URL + "/incidents/9)\n\n" + whole);

        // a repeat (the answer was lost after the first comment): the issue is found, only the missing comment is posted
        String first = Api.read(comments.get(0).getBodyAsString()).get("body").asText();
        var onIssue = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        onIssue.addObject().put("id", 1).put("body", first);
        server.stubFor(get(urlPathEqualTo(ISSUES)).willReturn(okJson("[" + fixture() + "]")));
        server.stubFor(get(urlPathEqualTo(ISSUES + "/87/comments")).willReturn(okJson(onIssue.toString())));
        tracker.open(LongReports.incident(9), report, new TicketTracker.Attempt("ticket.open/incident-9", true));
        server.verify(1, postRequestedFor(urlEqualTo(ISSUES)));
        server.verify(3, postRequestedFor(urlEqualTo(ISSUES + "/87/comments")));
        server.verify(1, postRequestedFor(urlEqualTo(ISSUES + "/87/comments"))
                .withRequestBody(matchingJsonPath("$.body", com.github.tomakehurst.wiremock.client.WireMock.containing("part-1 -->"))));
        server.verify(2, postRequestedFor(urlEqualTo(ISSUES + "/87/comments"))
                .withRequestBody(matchingJsonPath("$.body", com.github.tomakehurst.wiremock.client.WireMock.containing("part-2 -->"))));
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

    private static java.util.stream.Stream<JsonNode> effects(long incidentId, String kind) {
        return StreamSupport.stream(Api.read(given().get("/api/v1/outbox?limit=1000").then().statusCode(200).extract().asString())
                .spliterator(), false).filter(e -> e.get("incidentId").asLong() == incidentId && e.get("kind").asText().equals(kind));
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
