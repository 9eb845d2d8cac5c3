package dev.rootcause.ticket.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.rootcause.ticket.jira.JiraTicketTrackerTest.ISSUE;
import static dev.rootcause.ticket.jira.JiraTicketTrackerTest.SEARCH;
import static dev.rootcause.ticket.jira.JiraTicketTrackerTest.awaitOpenEffect;
import static dev.rootcause.ticket.jira.JiraWireMock.fixture;
import static dev.rootcause.ticket.jira.JiraWireMock.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import dev.rootcause.TestClock;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.incident.pipeline.IncidentService;
import dev.rootcause.report.Report;
import dev.rootcause.report.render.jira.JiraRenderer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A report longer than Jira's 32,767-character description, through the outbox to WireMock as Jira Data Center: the
 * create request's description fits, the rest arrives as comments in order with nothing lost, and a comment Jira
 * fails (503) fails the ticket effect, whose retry finds the issue by its label and posts only the comments still
 * missing (each comment's marker is looked up first).
 */
@QuarkusTest
@QuarkusTestResource(value = JiraOpenForNothing.class, restrictToAnnotatedClass = true)
class JiraContinuationTest {

    static final String COMMENTS = ISSUE + "/OPS-412/comment";
    static final Pattern PART = Pattern.compile("rootcause effect ticket\\.open/incident-\\d+/part-(\\d+)$");

    @Inject
    TestClock clock;

    @Inject
    ReportRepository reports;

    @Inject
    IncidentService incidents;

    @Inject
    IncidentRepository store;

    @Inject
    ObjectMapper json;

    @BeforeEach
    void reset() {
        server.resetAll();
        // Jira's search finds the issue once it was created
        server.stubFor(get(urlPathEqualTo(SEARCH)).inScenario("issue").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"startAt\":0,\"maxResults\":1,\"total\":0,\"issues\":[]}")));
        server.stubFor(get(urlPathEqualTo(SEARCH)).inScenario("issue").whenScenarioStateIs("created")
                .willReturn(okJson(fixture("jira-search-found.json"))));
        server.stubFor(post(urlEqualTo(ISSUE)).inScenario("issue").willSetStateTo("created")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(fixture("jira-create-issue-response.json"))));
        server.stubFor(post(urlEqualTo(COMMENTS)).atPriority(5)
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"id\":\"1\"}")));
        clock.set(JiraTicketTrackerTest.T0);
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void theOverflowArrivesAsCommentsInOrderNothingLost() {
        long id = incidentWithoutTicket();
        Report report = hugeReportFor(id);
        ticketRequested(id);
        await().atMost(Api.DEADLINE).until(() -> Api.incident(id), i -> !i.get("ticket").isNull());

        List<String> comments = comments(201);
        assertWhole(report, description(), comments);
        assertThat(awaitOpenEffect(id, e -> true).get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void aFailedCommentFailsTheEffectAndTheRetryPostsOnlyWhatIsMissing() {
        long id = incidentWithoutTicket();
        server.stubFor(post(urlEqualTo(COMMENTS)).atPriority(1).inScenario("part 2")
                .whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(containing("rootcause effect ticket.open/incident-" + id + "/part-2"))
                .willReturn(aResponse().withStatus(503).withBody("<html>Service Unavailable</html>")).willSetStateTo("up"));
        Report report = hugeReportFor(id);
        ticketRequested(id);

        JsonNode failed = awaitOpenEffect(id, e -> e.get("attempts").asInt() == 1 && e.get("claimToken").isNull());
        assertThat(failed.get("status").asText()).isEqualTo("pending");
        assertThat(failed.get("lastError").asText()).isEqualTo("Jira answered 503 to add comment");
        assertThat(comments(201)).as("part 1 arrived, part 2 failed, nothing after it was sent").hasSize(1);
        assertThat(comments(503)).hasSize(1);
        assertThat(Api.incident(id).get("ticket").isNull()).isTrue();

        // Jira lists the comments it kept; the retry must not post part 1 again
        ObjectNode page = json.createObjectNode();
        ArrayNode kept = page.putArray("comments");
        comments(201).forEach(body -> kept.addObject().put("body", body));
        page.put("startAt", 0).put("maxResults", 100).put("total", kept.size());
        server.stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(okJson(page.toString())));
        clock.advance(Duration.ofSeconds(2)); // first backoff: 1 s ± 25 %

        await().atMost(Api.DEADLINE).until(() -> Api.incident(id), i -> !i.get("ticket").isNull());
        assertThat(JiraTicketTrackerTest.issuesCreated(id)).as("the retry found the issue by its label").isEqualTo(1);
        assertWhole(report, description(), comments(201));
        assertThat(awaitOpenEffect(id, e -> true).get("attempts").asInt()).isEqualTo(2);
    }

    /** An incident whose diagnosis opened no ticket (open-for matches no severity). */
    private static long incidentWithoutTicket() {
        ObjectNode firing = Payloads.unique("alertmanager-firing-2-alerts.json");
        Api.post("alertmanager", firing.toString()).then().statusCode(202);
        long id = Api.awaitIncident(firing.get("groupKey").asText()).get("id").asLong();
        Api.awaitTimeline(id, "ticket_skipped", 1);
        return id;
    }

    /** Stores a report over two descriptions long; returns it as the outbox reads it back (with the incident's title). */
    private Report hugeReportFor(long id) {
        long reportId = QuarkusTransaction.requiringNew().call(() -> reports.save(JiraOverflowTest.huge(id)));
        return reports.load(reportId, store.find(id).orElseThrow());
    }

    private void ticketRequested(long id) {
        incidents.requestTicket(id, "test");
    }

    /** The description of the one create request. */
    private String description() {
        List<ServeEvent> creates = server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("POST") && e.getRequest().getUrl().equals(ISSUE)).toList();
        assertThat(creates).hasSize(1);
        return Api.read(creates.get(0).getRequest().getBodyAsString()).at("/fields/description").asText();
    }

    /** The bodies of the comment requests Jira answered {@code status} to, oldest first. */
    private List<String> comments(int status) {
        List<String> bodies = new ArrayList<>();
        server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("POST") && e.getRequest().getUrl().equals(COMMENTS))
                .filter(e -> e.getResponse().getStatus() == status)
                .forEach(e -> bodies.add(0, Api.read(e.getRequest().getBodyAsString()).get("body").asText()));
        return bodies;
    }

    /** The description and the comments, in order, are the whole report's wiki text; each fits Jira's field. */
    private static void assertWhole(Report report, String description, List<String> comments) {
        String note = "\n\n_(The report is longer than Jira's 32,767-character description: it continues in the first "
                + comments.size() + " comments below.)_";
        assertThat(description.length()).isLessThanOrEqualTo(JiraRenderer.MAX_CHARS);
        assertThat(description).endsWith(note);
        StringBuilder joined = new StringBuilder(description.substring(0, description.length() - note.length()));
        for (int i = 0; i < comments.size(); i++) {
            String body = comments.get(i);
            assertThat(body.length()).isLessThanOrEqualTo(JiraRenderer.MAX_CHARS);
            String heading = "*Report, continued (" + (i + 1) + "/" + comments.size() + "):*\n\n";
            assertThat(body).as("comment " + (i + 1)).startsWith(heading);
            Matcher m = PART.matcher(body);
            assertThat(m.find()).isTrue();
            assertThat(m.group(1)).as("the comments' order").isEqualTo(String.valueOf(i + 1));
            joined.append(body, heading.length(), m.start() - 2);
        }
        String whole = JiraRenderer.wikiParts(report.outline(), "", Integer.MAX_VALUE).get(0);
        assertThat(whole.length()).isGreaterThan(2 * JiraRenderer.MAX_CHARS);
        assertThat(comments).hasSizeGreaterThanOrEqualTo(2);
        assertThat(joined.toString()).as("nothing of the report is lost").isEqualTo(whole);
    }
}
