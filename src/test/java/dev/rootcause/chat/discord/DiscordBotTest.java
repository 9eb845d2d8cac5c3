package dev.rootcause.chat.discord;

import static dev.rootcause.chat.discord.DiscordTestResource.backends;
import static dev.rootcause.chat.discord.DiscordTestResource.discord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bot through a real JDA against a fake Discord: reports, threads, follow-ups, status edits. */
@QuarkusTest
@QuarkusTestResource(value = DiscordTestResource.class, restrictToAnnotatedClass = true)
class DiscordBotTest {

    static final String MESSAGES = "/api/v10/channels/" + FakeDiscord.CHANNEL + "/messages";

    @BeforeEach
    void reset() {
        discord.reset();
        backends.resetAll();
        DiscordStubs.cacheRule(backends, 0.95, 0.05, 10, 300);
    }

    @Test
    void reportIsOneMessageWithEmbedChartAndThread() throws Exception {
        long id = postAlert();
        LoggedRequest post = await().atMost(Api.DEADLINE).until(() -> discord.requests("POST", MESSAGES), l -> !l.isEmpty()).get(0);
        JsonNode payload = FakeDiscord.payload(post);
        assertThat(payload.path("nonce").asText()).startsWith("rc-");
        assertThat(payload.path("enforce_nonce").asBoolean()).isTrue();
        assertThat(payload.at("/allowed_mentions/parse").size()).isZero();
        assertThat(payload.at("/allowed_mentions/roles/0").asText()).isEqualTo(FakeDiscord.ONCALL_ROLE);
        assertThat(payload.path("content").asText()).contains("<@&" + FakeDiscord.ONCALL_ROLE + ">").contains("Incident #" + id);
        assertThat(payload.at("/embeds/0/description").asText()).contains("cache penetration");
        assertThat(payload.at("/embeds/0/image/url").asText()).isEqualTo("attachment://chart.png");
        assertThat(payload.at("/components/0/components").size()).isEqualTo(4);
        byte[] png = FakeDiscord.files(post).values().iterator().next();
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png))).isNotNull();
        await().atMost(Api.DEADLINE).until(() -> discord.requests("POST", MESSAGES + "/[0-9]+/threads"), l -> l.size() == 1);
    }

    private static long postAlert() {
        ObjectNode body = Payloads.unique("alertmanager-real-cache-hit-rate-low.json");
        ((ObjectNode) body.at("/alerts/0")).put("startsAt", DiscordStubs.alertStart().toString());
        Api.post("alertmanager", body.toString()).then().statusCode(202);
        return Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong();
    }
}
