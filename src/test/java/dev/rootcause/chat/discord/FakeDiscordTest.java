package dev.rootcause.chat.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake Discord itself: a real JDA logs in, sees the guild and channel, sends, and reconnects after a drop. */
class FakeDiscordTest {

    static FakeDiscord discord;
    static JDA jda;

    @BeforeAll
    static void connect() throws Exception {
        discord = new FakeDiscord();
        CountDownLatch ready = new CountDownLatch(1);
        jda = JDABuilder.createLight(FakeDiscord.TOKEN, List.of())
                .setRestConfig(new RestConfig().setBaseUrl(discord.restBase()))
                .setCompression(Compression.NONE).setEnableShutdownHook(false)
                .setSessionController(new SessionControllerAdapter() {
                    @Override
                    public String getGateway() {
                        return discord.gatewayUrl();
                    }
                })
                .addEventListeners(new ListenerAdapter() {
                    @Override
                    public void onReady(ReadyEvent e) {
                        ready.countDown();
                    }
                }).build();
        assertThat(ready.await(20, TimeUnit.SECONDS)).as("READY within 20 s").isTrue();
    }

    @AfterAll
    static void close() throws Exception {
        jda.shutdownNow();
        discord.close();
    }

    @Test
    void jdaSeesTheGuildAndSends() {
        assertThat(jda.getTextChannelById(FakeDiscord.CHANNEL)).isNotNull();
        var sent = jda.getTextChannelById(FakeDiscord.CHANNEL).sendMessage("hello").setNonce("n-1").complete();
        var again = jda.getTextChannelById(FakeDiscord.CHANNEL).sendMessage("hello").setNonce("n-1").complete();
        assertThat(again.getId()).as("same nonce, same message (enforce_nonce)").isEqualTo(sent.getId());
    }

    @Test
    void jdaWaitsOut429sAndSendsEachMessageOnce() {
        String scenario = "rate-limited";
        for (int i = 0; i < 3; i++) {
            discord.rest.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/api/v10/channels/[0-9]+/messages")).atPriority(1)
                    .inScenario(scenario).whenScenarioStateIs(i == 0 ? com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED : "429-" + i)
                    .willSetStateTo("429-" + (i + 1))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(429)
                            .withHeader("Content-Type", "application/json").withHeader("Retry-After", "1")
                            .withHeader("X-RateLimit-Scope", "user").withHeader("X-RateLimit-Bucket", "fake-bucket")
                            .withHeader("via", "1.1 google")
                            .withBody("{\"message\":\"You are being rate limited.\",\"retry_after\":0.2,\"global\":false}")));
        }
        for (int i = 0; i < 5; i++) {
            jda.getTextChannelById(FakeDiscord.CHANNEL).sendMessage("burst " + i).setNonce("b-" + i)
                    .timeout(20, TimeUnit.SECONDS).complete();
        }
        discord.reset();
    }

    @Test
    void reconnectsAfterAGatewayDrop() {
        int before = discord.identifies.get() + discord.resumes.get();
        discord.dropGateway();
        await().atMost(Duration.ofSeconds(20)).until(() -> discord.identifies.get() + discord.resumes.get() > before
                && jda.getStatus() == JDA.Status.CONNECTED);
    }
}
