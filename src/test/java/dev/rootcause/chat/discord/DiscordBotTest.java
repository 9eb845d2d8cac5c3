package dev.rootcause.chat.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.rootcause.chat.discord.DiscordTestResource.backends;
import static dev.rootcause.chat.discord.DiscordTestResource.discord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bot through a real JDA against a fake Discord: reports with embed, chart and thread; buttons and
 * slash commands driven through the gateway, with the REST calls JDA makes checked; follow-ups in the
 * thread and status edits; 429s and 400s.
 */
@QuarkusTest
@QuarkusTestResource(value = DiscordTestResource.class, restrictToAnnotatedClass = true)
class DiscordBotTest {

    static final String MESSAGES = "/api/v10/channels/" + FakeDiscord.CHANNEL + "/messages";
    static final List<String> RESPONDER = List.of(FakeDiscord.RESPONDER_ROLE);

    @BeforeEach
    void reset() {
        discord.reset();
        backends.resetAll();
        DiscordStubs.cacheRule(backends, 0.95, 0.05, 10, 300);
    }

    @Test
    void reportIsOneMessageWithEmbedChartAndThread() throws Exception {
        long id = postAlert();
        LoggedRequest post = reportPost(id);
        JsonNode payload = FakeDiscord.payload(post);
        assertThat(payload.path("nonce").asText()).startsWith("rc-").hasSizeLessThanOrEqualTo(25);
        assertThat(payload.path("enforce_nonce").asBoolean()).isTrue();
        assertThat(payload.at("/allowed_mentions/parse").size()).as("no @everyone, no user pings").isZero();
        assertThat(payload.at("/allowed_mentions/roles/0").asText()).isEqualTo(FakeDiscord.ONCALL_ROLE);
        assertThat(payload.path("content").asText()).contains("<@&" + FakeDiscord.ONCALL_ROLE + ">").contains("Incident #" + id + " · open");
        assertThat(payload.at("/embeds/0/description").asText()).contains("cache penetration").contains("confidence: medium");
        assertThat(payload.at("/embeds/0/color").asInt()).isEqualTo(0xD32F2F); // severity critical
        assertThat(payload.at("/embeds/0/image/url").asText()).isEqualTo("attachment://chart.png");
        assertThat(payload.at("/components/0/components").findValuesAsText("custom_id"))
                .containsExactly("rc:ack:" + id, "rc:ticket:" + id, "rc:silence:" + id, "rc:rediagnose:" + id);
        byte[] png = FakeDiscord.files(post).values().iterator().next();
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png))).as("the chart decodes").isNotNull();
        String messageId = messageIdOf(post);
        await().atMost(Api.DEADLINE).until(() -> discord.requests("POST", MESSAGES + "/" + messageId + "/threads"), l -> l.size() == 1);
        // the ticket opened with the report is announced in the thread
        await().atMost(Api.DEADLINE).until(() -> threadTexts(messageId), t -> t.stream().anyMatch(s -> s.startsWith("Ticket RC-")));
    }

    @Test
    void permittedClickAcknowledgesInTheThreadAndEditsTheMessage() {
        long id = postAlert();
        String messageId = messageIdOf(reportPost(id));
        String interaction = discord.interaction(3, button("rc:ack:" + id), "800000000000000001", "alice", RESPONDER);
        JsonNode callback = callback(interaction);
        assertThat(callback.path("type").asInt()).isEqualTo(4);
        assertThat(callback.at("/data/flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        assertThat(callback.at("/data/content").asText()).contains("Acknowledged incident #" + id);
        assertThat(Api.incident(id).get("acknowledgedBy").asText()).isEqualTo("alice");
        await().atMost(Api.DEADLINE).until(() -> threadTexts(messageId), t -> t.contains("Acknowledged by alice"));
        await().atMost(Api.DEADLINE).until(() -> discord.requests("PATCH", MESSAGES + "/" + messageId),
                l -> l.stream().anyMatch(r -> FakeDiscord.payload(r).path("content").asText().contains("acknowledged** by alice")));
    }

    /**
     * Discord sends an interaction to every gateway session of the bot; during a hand-over two replicas' sessions
     * may both be connected. The copy is dropped: one callback, one acknowledgement. (The press after it is
     * handled on the same gateway thread, so once its callback is there the copy was seen.)
     */
    @Test
    void aButtonReachingTwoSessionsIsAnsweredOnce() {
        long id = postAlert();
        reportPost(id);
        String twice = discord.interaction(2, 3, button("rc:ack:" + id), "800000000000000041", "olga", RESPONDER);
        callback(twice);
        callback(discord.interaction(3, button("rc:ticket:" + id), "800000000000000042", "olga", RESPONDER));
        assertThat(discord.requests("POST", "/api/v10/interactions/" + twice + "/.*/callback")).hasSize(1);
        assertThat(list(Api.incident(id).get("timeline")).stream().filter(e -> e.path("kind").asText().equals("acknowledged")))
                .hasSize(1);
    }

    @Test
    void rerunDiagnosisPostsTheNewReportInTheThreadAndEditsTheMessage() {
        long id = postAlert();
        String messageId = messageIdOf(reportPost(id));
        JsonNode callback = callback(discord.interaction(3, button("rc:rediagnose:" + id), "800000000000000007", "frank", RESPONDER));
        assertThat(callback.at("/data/content").asText()).contains("A new diagnosis of incident #" + id + " is running");
        LoggedRequest inThread = await().atMost(Api.DEADLINE).until(() -> discord.requests("POST",
                "/api/v10/channels/" + messageId + "/messages").stream().filter(r -> FakeDiscord.payload(r).has("embeds")
                        && FakeDiscord.payload(r).get("embeds").size() == 1).toList(), l -> !l.isEmpty()).get(0);
        assertThat(FakeDiscord.payload(inThread).at("/embeds/0/description").asText()).contains("cache penetration");
        assertThat(FakeDiscord.payload(inThread).at("/allowed_mentions/roles").size()).as("a re-diagnosis pings nobody").isZero();
        await().atMost(Api.DEADLINE).until(() -> discord.requests("PATCH", MESSAGES + "/" + messageId),
                l -> l.stream().anyMatch(r -> FakeDiscord.payload(r).has("embeds")));
        Api.awaitTimeline(id, "rediagnosis", 1);
    }

    @Test
    void clickWithoutTheRoleIsRefusedAndRecorded() {
        long id = postAlert();
        reportPost(id);
        String interaction = discord.interaction(3, button("rc:ack:" + id), "800000000000000002", "mallory", List.of());
        JsonNode callback = callback(interaction);
        assertThat(callback.at("/data/flags").asInt() & 64).isEqualTo(64);
        assertThat(callback.at("/data/content").asText()).contains("You need one of the roles allowed to ack");
        assertThat(Api.incident(id).get("status").asText()).isEqualTo("open");
        Api.awaitTimeline(id, "refused", 1);
    }

    @Test
    void resolveCommandPostsTheDurationInTheThread() {
        long id = postAlert();
        String messageId = messageIdOf(reportPost(id));
        ObjectNode data = command("incident");
        ObjectNode sub = data.putArray("options").addObject().put("name", "resolve").put("type", 1);
        sub.putArray("options").addObject().put("name", "id").put("type", 4).put("value", id);
        JsonNode callback = callback(discord.interaction(2, data, "800000000000000003", "bob", RESPONDER));
        assertThat(callback.at("/data/content").asText()).isEqualTo("Incident #" + id + " resolved.");
        await().atMost(Api.DEADLINE).until(() -> threadTexts(messageId), t -> t.stream().anyMatch(s -> s.startsWith("Resolved by bob after ")));
        assertThat(Api.incident(id).get("resolvedBy").asText()).isEqualTo("bob");
    }

    @Test
    void incidentListShowAndAckAnswerFromTheStore() {
        long id = postAlert();
        reportPost(id);
        ObjectNode list = command("incident");
        list.putArray("options").addObject().put("name", "list").put("type", 1);
        JsonNode listed = callback(discord.interaction(2, list, "800000000000000011", "gina", List.of()));
        assertThat(listed.at("/data/flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        assertThat(listed.at("/data/content").asText()).contains("#" + id);

        JsonNode shown = callback(discord.interaction(2, incidentCommand("show", id), "800000000000000012", "gina", List.of()));
        assertThat(shown.at("/data/content").asText()).contains("Incident #" + id).contains("Root cause (confidence: medium):")
                .contains("cache penetration");

        JsonNode missing = callback(discord.interaction(2, incidentCommand("show", 987654321L), "800000000000000013", "gina", List.of()));
        assertThat(missing.at("/data/content").asText()).isEqualTo("No incident #987654321; `/incident list` shows the open ones.");

        ObjectNode noId = command("incident");
        noId.putArray("options").addObject().put("name", "ack").put("type", 1);
        JsonNode askForId = callback(discord.interaction(2, noId, "800000000000000014", "gina", RESPONDER));
        assertThat(askForId.at("/data/content").asText()).isEqualTo("Give the incident number, e.g. `/incident ack id:12`.");

        JsonNode acked = callback(discord.interaction(2, incidentCommand("ack", id), "800000000000000015", "gina", RESPONDER));
        assertThat(acked.at("/data/content").asText()).isEqualTo("Incident #" + id + " acknowledged by gina.");
        assertThat(Api.incident(id).get("acknowledgedBy").asText()).isEqualTo("gina");
    }

    @Test
    void createTicketButtonAnswersWithTheTicketTheReportOpened() {
        long id = postAlert();
        String messageId = messageIdOf(reportPost(id));
        // the report's ticket (embedded store) is announced in the thread first
        await().atMost(Api.DEADLINE).until(() -> threadTexts(messageId), t -> t.stream().anyMatch(s -> s.startsWith("Ticket RC-")));
        JsonNode callback = callback(discord.interaction(3, button("rc:ticket:" + id), "800000000000000016", "hank", RESPONDER));
        String key = Api.incident(id).at("/ticket/key").asText();
        assertThat(key).startsWith("RC-");
        assertThat(callback.at("/data/content").asText()).startsWith("Incident #" + id + " has its ticket: " + key);
        JsonNode refused = callback(discord.interaction(3, button("rc:ticket:" + id), "800000000000000017", "mallory", List.of()));
        assertThat(refused.at("/data/content").asText()).contains("You need one of the roles allowed to");
    }

    @Test
    void retryButtonIsForTicketRolesAndSaysWhenNothingIsDead() {
        long id = postAlert();
        await().atMost(Api.DEADLINE).until(() -> Api.incident(id), i -> !i.get("ticket").isNull());
        JsonNode callback = callback(discord.interaction(3, button("rc:retry:" + id), "800000000000000031", "hank", RESPONDER));
        assertThat(callback.at("/data/flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        assertThat(callback.at("/data/content").asText())
                .isEqualTo("Nothing to retry for incident #" + id + ": no ticket effect of it is dead (already retried?).");
        JsonNode refused = callback(discord.interaction(3, button("rc:retry:" + id), "800000000000000032", "mallory", List.of()));
        assertThat(refused.at("/data/content").asText()).contains("You need one of the roles allowed to ticket");
        assertThat(Api.incident(id).get("timeline").toString()).contains("mallory may not ticket from Discord")
                .doesNotContain("ticket_retry");
    }

    @Test
    void wrongCauseButtonOpensTheModalAndItsAnswerIsTheStoredVerdict() {
        long id = postAlert();
        LoggedRequest report = reportPost(id);
        String messageId = messageIdOf(report);
        String page = DiscordTestResource.EXTERNAL_URL + "/incidents/" + id;
        assertThat(FakeDiscord.payload(report).at("/components/1/components").findValuesAsText("url"))
                .as("the report links its page, absolute").containsExactly(page);

        JsonNode modal = callback(discord.interaction(3, button("rc:wrong:" + id), "800000000000000041", "nina", RESPONDER));
        assertThat(modal.path("type").asInt()).as("MODAL").isEqualTo(9);
        assertThat(modal.at("/data/custom_id").asText()).isEqualTo("rc:wrong:" + id);
        assertThat(modal.at("/data/components/0/component/custom_id").asText()).isEqualTo("actual");
        assertThat(modal.at("/data/components/0/component/required").asBoolean()).isTrue();

        String actual = "the Redis client's connection pool was exhausted";
        JsonNode answer = callback(discord.interaction(5, modalSubmit(id, actual), "800000000000000042", "nina", RESPONDER));
        assertThat(answer.at("/data/flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        assertThat(answer.at("/data/content").asText()).contains("incident #" + id + " was wrong")
                .contains(page + "/rule-test.zip");
        JsonNode verdict = Api.incident(id).get("feedback");
        assertThat(verdict.get("verdict").asText()).isEqualTo("wrong");
        assertThat(verdict.get("actual").asText()).isEqualTo(actual);
        assertThat(verdict.get("by").asText()).isEqualTo("nina");
        assertThat(verdict.get("rule").asText()).isEqualTo("cache-hit-rate");
        await().atMost(Api.DEADLINE).until(() -> threadTexts(messageId),
                t -> t.contains("root cause marked wrong by nina — actual: " + actual));

        JsonNode refused = callback(discord.interaction(5, modalSubmit(id, "not my call"), "800000000000000043", "mallory", List.of()));
        assertThat(refused.at("/data/content").asText()).contains("You need one of the roles allowed to feedback");
        assertThat(Api.incident(id).at("/feedback/actual").asText()).isEqualTo(actual);
        assertThat(await().atMost(Api.DEADLINE).until(() -> Api.incident(id), i -> !i.get("ticket").isNull()).at("/ticket/url").asText())
                .as("the embedded ticket's link is absolute too")
                .startsWith(DiscordTestResource.EXTERNAL_URL + "/api/v1/tickets/RC-");
        JsonNode right = callback(discord.interaction(3, button("rc:right:" + id), "800000000000000044", "oscar", RESPONDER));
        assertThat(right.at("/data/content").asText()).contains("was right");
        assertThat(Api.incident(id).at("/feedback/verdict").asText()).isEqualTo("right");
    }

    /** MODAL_SUBMIT data as Discord sends it for the Wrong cause modal: a label (type 18) around the text input (type 4). */
    private static ObjectNode modalSubmit(long id, String actual) {
        ObjectNode data = FakeDiscord.JSON.createObjectNode().put("custom_id", "rc:wrong:" + id);
        ObjectNode label = data.putArray("components").addObject().put("type", 18).put("id", 1);
        label.putObject("component").put("type", 4).put("id", 2).put("custom_id", "actual").put("value", actual);
        return data;
    }

    @Test
    void rulesListNamesTheLoadedRules() {
        ObjectNode data = command("rules");
        data.putArray("options").addObject().put("name", "list").put("type", 1);
        JsonNode callback = callback(discord.interaction(2, data, "800000000000000018", "ivan", List.of()));
        assertThat(callback.at("/data/flags").asInt() & 64).isEqualTo(64);
        assertThat(callback.at("/data/content").asText()).containsPattern("^\\d+ rules, loaded ")
                .contains("`cache-hit-rate`").contains("`http-5xx-after-deploy`");
    }

    @Test
    void theBotTokenNeverReachesTheLog() throws Exception {
        // a report, a click, a refused click and a 400 fallback: the paths that log
        long id = postAlert();
        reportPost(id);
        callback(discord.interaction(3, button("rc:ack:" + id), "800000000000000019", "judy", List.of()));
        java.nio.file.Path log = java.nio.file.Path.of(DiscordTestResource.LOG_FILE);
        String text = java.nio.file.Files.readString(log);
        assertThat(text).as("the log file is written (JDA at DEBUG)").contains("JDA");
        assertThat(text).doesNotContain(FakeDiscord.TOKEN).doesNotContain("fake-bot-token");
    }

    @Test
    void diagnoseIsDeferredWithinThreeSecondsWhilePrometheusTakesFive() throws Exception {
        backends.resetAll();
        DiscordStubs.cacheRule(backends, 0.95, 0.05, 10, 300, 5000);
        ObjectNode data = command("diagnose");
        var options = data.putArray("options");
        options.addObject().put("name", "service").put("type", 3).put("value", "cache-a");
        options.addObject().put("name", "window").put("type", 3).put("value", "5m");
        long sent = System.nanoTime();
        String interaction = discord.interaction(2, data, "800000000000000004", "carol", List.of());
        JsonNode deferred = callback(interaction);
        long deferredMillis = (System.nanoTime() - sent) / 1_000_000;
        assertThat(deferred.path("type").asInt()).as("DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE").isEqualTo(5);
        assertThat(deferredMillis).isLessThan(3000);
        LoggedRequest followUp = await().atMost(Api.DEADLINE).until(
                () -> discord.requests("POST", "/api/v10/webhooks/" + FakeDiscord.APP + "/itoken-" + interaction), l -> !l.isEmpty()).get(0);
        JsonNode report = FakeDiscord.payload(followUp);
        assertThat(report.at("/embeds/0/title").asText()).startsWith("On-demand diagnosis of cache-a over the last 5m");
        assertThat(report.at("/embeds/0/description").asText()).contains("cache penetration");
        byte[] png = FakeDiscord.files(followUp).values().iterator().next();
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png))).isNotNull();
    }

    @Test
    void diagnoseWithABadWindowSaysWhatToFix() {
        ObjectNode data = command("diagnose");
        var options = data.putArray("options");
        options.addObject().put("name", "service").put("type", 3).put("value", "cache-a");
        options.addObject().put("name", "window").put("type", 3).put("value", "soon");
        JsonNode callback = callback(discord.interaction(2, data, "800000000000000004", "carol", List.of()));
        assertThat(callback.at("/data/flags").asInt() & 64).isEqualTo(64);
        assertThat(callback.at("/data/content").asText()).startsWith("Cannot diagnose: window: ");
    }

    @Test
    void serviceAutocompletionAnswersFromTheCacheWithAtMost25Choices() {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            names.append(i == 0 ? "" : ",").append("\"cache-").append((char) ('a' + i % 26)).append(i).append('"');
        }
        backends.stubFor(get(urlEqualTo("/api/v1/label/service/values")).willReturn(okJson("{\"status\":\"success\",\"data\":[" + names + "]}")));
        JsonNode answer = await().atMost(Api.DEADLINE).until(() -> {
            ObjectNode data = command("diagnose");
            data.putArray("options").addObject().put("name", "service").put("type", 3).put("value", "cache").put("focused", true);
            long sent = System.nanoTime();
            JsonNode callback = callback(discord.interaction(4, data, "800000000000000005", "dave", List.of()));
            assertThat((System.nanoTime() - sent) / 1_000_000).isLessThan(3000);
            return callback;
        }, c -> c.at("/data/choices").size() > 0);
        assertThat(answer.path("type").asInt()).isEqualTo(8);
        assertThat(answer.at("/data/choices").size()).isEqualTo(25);
    }

    @Test
    void silenceGoesToTheConfiguredAlertmanagerWithTheGroupLabels() {
        backends.stubFor(post(urlEqualTo("/api/v2/silences")).willReturn(okJson("{\"silenceID\":\"sil-123\"}")));
        long id = postAlert();
        String messageId = messageIdOf(reportPost(id));
        String interaction = discord.interaction(3, button("rc:silence:" + id), "800000000000000006", "erin", RESPONDER);
        assertThat(callback(interaction).path("type").asInt()).isEqualTo(5);
        LoggedRequest followUp = await().atMost(Api.DEADLINE).until(
                () -> discord.requests("POST", "/api/v10/webhooks/" + FakeDiscord.APP + "/itoken-" + interaction), l -> !l.isEmpty()).get(0);
        assertThat(FakeDiscord.payload(followUp).path("content").asText()).contains("silence sil-123");
        JsonNode silence = Api.read(backends.findAll(postRequestedFor(urlEqualTo("/api/v2/silences"))).get(0).getBodyAsString());
        assertThat(silence.get("matchers").findValuesAsText("name")).containsExactly("alertname", "service");
        assertThat(silence.get("createdBy").asText()).isEqualTo("erin");
        Api.awaitTimeline(id, "silenced", 1);
        await().atMost(Api.DEADLINE).until(() -> threadTexts(messageId), t -> t.stream().anyMatch(x -> x.startsWith("Silenced by erin until ")));
        assertThat(backends.findAll(postRequestedFor(urlEqualTo("/api/v2/silences")))).as("the configured Alertmanager only, once").hasSize(1);
    }

    @Test
    void silenceIsRefusedForAnIncidentWithoutIdentifyingLabels() {
        backends.stubFor(post(urlEqualTo("/api/v2/silences")).willReturn(okJson("{\"silenceID\":\"sil-never\"}")));
        ObjectNode body = Payloads.unique("alertmanager-real-cache-hit-rate-low.json");
        body.putObject("groupLabels");
        body.putObject("commonLabels");
        Api.post("alertmanager", body.toString()).then().statusCode(202);
        long id = Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong();
        String interaction = discord.interaction(3, button("rc:silence:" + id), "800000000000000020", "kim", RESPONDER);
        callback(interaction);
        LoggedRequest followUp = await().atMost(Api.DEADLINE).until(
                () -> discord.requests("POST", "/api/v10/webhooks/" + FakeDiscord.APP + "/itoken-" + interaction), l -> !l.isEmpty()).get(0);
        assertThat(FakeDiscord.payload(followUp).path("content").asText()).startsWith("Not silenced: incident " + id + " has no identifying labels");
        assertThat(backends.findAll(postRequestedFor(urlEqualTo("/api/v2/silences")))).as("an empty matcher set would silence everything").isEmpty();
    }

    @Test
    void aBurstUnder429sLosesNothingAndDuplicatesNothing() {
        // the first six posts are answered 429 (retry_after 0.2 s); JDA waits and sends again; the gateway drops meanwhile
        String scenario = "rate-limited";
        for (int i = 0; i < 6; i++) {
            discord.rest.stubFor(post(urlPathMatching(MESSAGES)).atPriority(1).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "429-" + i).willSetStateTo("429-" + (i + 1))
                    .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                            .withHeader("Retry-After", "1").withHeader("X-RateLimit-Scope", "user")
                            .withHeader("X-RateLimit-Bucket", "fake-bucket").withHeader("via", "1.1 google")
                            .withBody("{\"message\":\"You are being rate limited.\",\"retry_after\":0.2,\"global\":false}")));
        }
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            ids.add(postAlertNoWait());
            if (i == 3) {
                discord.dropGateway();
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> reportPosts().keySet().containsAll(ids));
        Map<Long, Set<String>> messages = reportPosts();
        for (long id : ids) {
            assertThat(messages.get(id)).as("incident " + id + ": one message").hasSize(1);
        }
        assertThat(discord.requests("POST", MESSAGES).stream().filter(r -> rejected(r)).count()).isEqualTo(6);
    }

    @Test
    void a400IsLoggedAndAShortTextIsPostedInstead() {
        discord.rest.stubFor(post(urlPathMatching(MESSAGES)).atPriority(1)
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("multipart"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(
                        "{\"code\":50035,\"message\":\"Invalid Form Body\",\"errors\":{\"embeds\":{\"0\":{\"description\":{\"_errors\":"
                                + "[{\"code\":\"BASE_TYPE_MAX_LENGTH\",\"message\":\"Must be 4096 or fewer in length.\"}]}}}}}")));
        long id = postAlert();
        LoggedRequest fallback = await().atMost(Api.DEADLINE).until(() -> discord.requests("POST", MESSAGES).stream()
                .filter(r -> !r.isMultipart() && FakeDiscord.payload(r).path("content").asText().startsWith("Incident #" + id + ":")).toList(),
                l -> !l.isEmpty()).get(0);
        JsonNode text = FakeDiscord.payload(fallback);
        assertThat(text.path("content").asText()).contains("Root cause (confidence: medium; metric evidence):").hasSizeLessThanOrEqualTo(2000);
        assertThat(text.at("/allowed_mentions/parse").size()).isZero();
    }

    private static boolean rejected(LoggedRequest r) {
        return discord.rest.getAllServeEvents().stream().anyMatch(e -> e.getRequest().getId().equals(r.getId())
                && e.getResponse().getStatus() == 429);
    }

    /** Incident number (from the status line) → the distinct message ids Discord gave its report posts. */
    private static Map<Long, Set<String>> reportPosts() {
        Map<Long, Set<String>> out = new HashMap<>();
        for (var e : discord.rest.getAllServeEvents()) {
            LoggedRequest r = e.getRequest();
            if (r.getMethod().getName().equals("POST") && r.getUrl().equals(MESSAGES) && e.getResponse().getStatus() == 200 && r.isMultipart()) {
                var m = java.util.regex.Pattern.compile("Incident #(\\d+)").matcher(FakeDiscord.payload(r).path("content").asText());
                if (m.find()) {
                    out.computeIfAbsent(Long.parseLong(m.group(1)), k -> new HashSet<>())
                            .add(Api.read(e.getResponse().getBodyAsString()).get("id").asText());
                }
            }
        }
        return out;
    }

    private static LoggedRequest reportPost(long id) {
        return await().atMost(Api.DEADLINE).until(() -> discord.requests("POST", MESSAGES).stream()
                .filter(r -> r.isMultipart() && FakeDiscord.payload(r).path("content").asText().contains("Incident #" + id + " ")).toList(),
                l -> !l.isEmpty()).get(0);
    }

    private static String messageIdOf(LoggedRequest post) {
        return discord.rest.getAllServeEvents().stream().filter(e -> e.getRequest().getId().equals(post.getId())).findFirst()
                .map(e -> Api.read(e.getResponse().getBodyAsString()).get("id").asText()).orElseThrow();
    }

    /** What was posted in a thread (a thread started from a message has the message's id). */
    private static List<String> threadTexts(String threadId) {
        return discord.requests("POST", "/api/v10/channels/" + threadId + "/messages").stream()
                .map(r -> FakeDiscord.payload(r).path("content").asText()).toList();
    }

    private static JsonNode callback(String interaction) {
        LoggedRequest r = await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(
                () -> discord.requests("POST", "/api/v10/interactions/" + interaction + "/itoken-" + interaction + "/callback"),
                l -> !l.isEmpty()).get(0);
        return FakeDiscord.payload(r);
    }

    private static ObjectNode command(String name) {
        ObjectNode data = FakeDiscord.JSON.createObjectNode();
        data.put("id", "930000000000000001").put("name", name).put("type", 1).put("guild_id", FakeDiscord.GUILD);
        return data;
    }

    private static ObjectNode incidentCommand(String sub, long id) {
        ObjectNode data = command("incident");
        ObjectNode option = data.putArray("options").addObject().put("name", sub).put("type", 1);
        option.putArray("options").addObject().put("name", "id").put("type", 4).put("value", id);
        return data;
    }

    private static ObjectNode button(String customId) {
        return FakeDiscord.JSON.createObjectNode().put("custom_id", customId).put("component_type", 2);
    }

    private static long postAlert() {
        long id = postAlertNoWait();
        return id;
    }

    private static long postAlertNoWait() {
        ObjectNode body = Payloads.unique("alertmanager-real-cache-hit-rate-low.json");
        body.put("externalURL", "http://alertmanager.elsewhere.example:9093");
        ((ObjectNode) body.at("/alerts/0")).put("startsAt", DiscordStubs.alertStart().toString());
        Api.post("alertmanager", body.toString()).then().statusCode(202);
        return Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong();
    }

    static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
