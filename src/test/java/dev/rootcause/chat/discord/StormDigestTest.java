package dev.rootcause.chat.discord;

import static dev.rootcause.chat.discord.DiscordTestResource.backends;
import static dev.rootcause.chat.discord.DiscordTestResource.discord;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** An alert storm: 50 incidents opening within seconds give at most 3 channel messages, which name all 50. */
@QuarkusTest
@QuarkusTestResource(value = DiscordTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "storm-threshold", value = "2"))
class StormDigestTest {

    static final String MESSAGES = "/api/v10/channels/" + FakeDiscord.CHANNEL + "/messages";

    @Test
    void fiftyIncidentsInTenSecondsAreAtMostThreeMessagesNamingAll() {
        discord.reset();
        backends.resetAll();
        DiscordStubs.cacheRule(backends, 0.95, 0.05, 10, 300);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ObjectNode body = Payloads.unique("alertmanager-real-cache-hit-rate-low.json");
            ((ObjectNode) body.at("/alerts/0")).put("startsAt", DiscordStubs.alertStart().toString());
            Api.post("alertmanager", body.toString()).then().statusCode(202);
        }
        // sent in well under 10 s; on a loaded machine opening them all may take longer, still inside the 60 s storm window
        await().atMost(Duration.ofSeconds(60)).until(() -> Api.incidents().size() >= 50);
        Api.incidents().forEach(i -> ids.add(i.get("id").asLong()));
        await().atMost(Duration.ofSeconds(90)).until(() -> reportsPosted() >= 50);

        List<ServeEvent> channelPosts = discord.rest.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("POST") && e.getRequest().getUrl().equals(MESSAGES)
                        && e.getResponse().getStatus() == 200).toList();
        assertThat(channelPosts).as("messages in the incident channel").hasSizeLessThanOrEqualTo(3);
        // each channel message as it reads now: the last edit, else the post
        Map<String, String> text = new HashMap<>();
        for (ServeEvent post : channelPosts) {
            String id = Api.read(post.getResponse().getBodyAsString()).get("id").asText();
            text.put(id, FakeDiscord.payload(post.getRequest()).toString());
        }
        discord.rest.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().getName().equals("PATCH"))
                .sorted((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()))
                .forEach(e -> {
                    String id = e.getRequest().getUrl().replaceAll(".*/messages/", "");
                    if (text.containsKey(id)) {
                        text.put(id, FakeDiscord.payload(e.getRequest()).toString());
                    }
                });
        Set<Long> named = new HashSet<>();
        Matcher m = Pattern.compile("#(\\d+)").matcher(String.join("\n", text.values()));
        while (m.find()) {
            named.add(Long.parseLong(m.group(1)));
        }
        assertThat(named).as("incidents named in the channel").containsAll(ids);
    }

    /** Report effects delivered. */
    private static long reportsPosted() {
        JsonNode done = Api.read(given().get("/api/v1/outbox?status=done&limit=1000").then().statusCode(200).extract().asString());
        return StreamSupport.stream(done.spliterator(), false).filter(e -> e.get("kind").asText().equals("chat.report")).count();
    }
}
