package dev.rootcause.chat.discord;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rootcause.chat.ChatConfig;
import dev.rootcause.chat.ChatKindDefault;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscordKindTest {

    @Test
    void discordWithoutATokenIsAStartUpErrorNamingTheKey() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("rootcause.chat.kind", "discord",
                        "rootcause.chat.discord.guild", "1", "rootcause.chat.discord.channel", "2"), "application.properties", 250))
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new ChatKindDefault()).withMapping(ChatConfig.class).withMapping(DiscordConfig.class).withValidateUnknown(false).build();
        DiscordBot bot = new DiscordBot(config.getConfigMapping(DiscordConfig.class), config.getConfigMapping(ChatConfig.class), null, new dev.rootcause.incident.Leadership() {
            @Override
            public boolean hold(String role) {
                return true;
            }

            @Override
            public void release(String role) {
            }
        });
        assertThatThrownBy(() -> bot.onStart(null, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())).isInstanceOf(IllegalStateException.class)
                .hasMessage("rootcause.chat.kind=discord needs rootcause.chat.discord.token (the bot token)");
    }
}
