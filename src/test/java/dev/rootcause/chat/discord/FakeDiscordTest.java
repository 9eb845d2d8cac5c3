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
    void reconnectsAfterAGatewayDrop() {
        int before = discord.identifies.get() + discord.resumes.get();
        discord.dropGateway();
        await().atMost(Duration.ofSeconds(20)).until(() -> discord.identifies.get() + discord.resumes.get() > before
                && jda.getStatus() == JDA.Status.CONNECTED);
    }
}
