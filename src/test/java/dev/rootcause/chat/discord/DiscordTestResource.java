package dev.rootcause.chat.discord;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * A fake Discord ({@link FakeDiscord}) and one WireMock standing in for Prometheus and Alertmanager; the
 * service configured to use them, with the bot on. Role {@link FakeDiscord#RESPONDER_ROLE} may take
 * every action.
 */
public class DiscordTestResource implements QuarkusTestResourceLifecycleManager {

    /** Where the service's log goes during these tests (JDA at DEBUG): checked for the bot token. */
    static final String LOG_FILE = "target/discord-test.log";
    /** {@code rootcause.external-url}: reports and answers link the incident page under it. */
    static final String EXTERNAL_URL = "https://rootcause.test.example/ops";

    static FakeDiscord discord;
    static WireMockServer backends;
    private String stormThreshold = "1000";

    /** {@code storm-threshold}: incidents within the storm window before reports go to a digest (default 1000: never). */
    @Override
    public void init(Map<String, String> initArgs) {
        stormThreshold = initArgs.getOrDefault("storm-threshold", stormThreshold);
    }

    @Override
    public Map<String, String> start() {
        try {
            discord = new FakeDiscord();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        backends = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        backends.start();
        Map<String, String> config = new HashMap<>();
        config.put("rootcause.chat.discord.token", FakeDiscord.TOKEN);
        config.put("rootcause.chat.discord.guild", FakeDiscord.GUILD);
        config.put("rootcause.chat.discord.channel", FakeDiscord.CHANNEL);
        config.put("rootcause.chat.discord.rest-url", discord.restBase());
        config.put("rootcause.chat.discord.gateway-url", discord.gatewayUrl());
        config.put("rootcause.chat.discord.ready-timeout", "10s");
        config.put("rootcause.chat.discord.oncall-role", FakeDiscord.ONCALL_ROLE);
        for (String action : new String[] {"ack", "resolve", "silence", "ticket", "reload"}) {
            config.put("rootcause.chat.discord.roles." + action, FakeDiscord.RESPONDER_ROLE);
        }
        config.put("rootcause.sources.prometheus.url", "http://127.0.0.1:" + backends.port());
        config.put("rootcause.sources.prometheus.timeout", "10s");
        config.put("rootcause.sources.alertmanager.url", "http://127.0.0.1:" + backends.port());
        config.put("rootcause.rules.dir", "rules");
        config.put("rootcause.external-url", EXTERNAL_URL);
        config.put("quarkus.log.file.enable", "true");
        config.put("quarkus.log.file.path", LOG_FILE);
        config.put("quarkus.log.category.\"net.dv8tion\".level", "DEBUG");
        // storms have their own test (StormDigestTest); here every incident gets its own message
        config.put("rootcause.chat.discord.storm.threshold", stormThreshold);
        return config;
    }

    @Override
    public void stop() {
        try {
            if (discord != null) {
                discord.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (backends != null) {
                backends.stop();
            }
        }
    }
}
