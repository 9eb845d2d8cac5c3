package dev.rootcause.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code rootcause.chat.kind}: chosen by configuration, defaulting to what the Discord token said before. */
class ChatKindTest {

    /** A configuration as the service builds it: application.properties (ordinal 250) and the default. */
    static SmallRyeConfig config(String kind, String token) {
        Map<String, String> props = new HashMap<>();
        if (kind != null) {
            props.put("rootcause.chat.kind", kind);
        }
        if (token != null) {
            props.put("rootcause.chat.discord.token", token);
        }
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(props, "application.properties", 250))
                .withSources(new ChatKindDefault()).withMapping(ChatConfig.class).withValidateUnknown(false).build();
    }

    @ParameterizedTest(name = "[{index}] kind={0} token={1} -> {2}")
    @CsvSource(nullValues = "unset", textBlock = """
            unset,   unset,  console
            unset,   '',     console
            unset,   '  ',   console
            unset,   secret, discord
            console, secret, console
            console, unset,  console
            discord, secret, discord
            discord, unset,  discord
            """)
    void explicitKindWinsElseTheTokenDecides(String kind, String token, String expected) {
        SmallRyeConfig config = config(kind, token);
        assertThat(config.getValue(ChatConfig.KIND, String.class)).isEqualTo(expected);
        assertThat(config.getConfigMapping(ChatConfig.class).kind()).hasValueSatisfying(k -> assertThat(k.key()).isEqualTo(expected));
        ChatKindCheck.check(config.getValue(ChatConfig.KIND, String.class), config.getConfigMapping(ChatConfig.class));
    }

    @org.junit.jupiter.api.Test
    void aTokenFromTheEnvironmentCountsToo() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new io.smallrye.config.EnvConfigSource(Map.of("ROOTCAUSE_CHAT_DISCORD_TOKEN", "secret"), 300))
                .withSources(new ChatKindDefault()).withMapping(ChatConfig.class).withValidateUnknown(false).build();
        assertThat(config.getValue(ChatConfig.KIND, String.class)).isEqualTo("discord");
    }

    @ParameterizedTest
    @CsvSource({"DISCORD", "Console"})
    void aKindNoBackendAnswersToStopsTheStart(String kind) {
        SmallRyeConfig config = config(kind, null);
        assertThatThrownBy(() -> ChatKindCheck.check(kind, config.getConfigMapping(ChatConfig.class)))
                .hasMessageContaining("rootcause.chat.kind must be console or discord");
    }

    @ParameterizedTest
    @CsvSource({"slack"})
    void anUnknownKindIsRefusedByTheConfiguration(String kind) {
        assertThatThrownBy(() -> config(kind, null)).hasMessageContaining("rootcause.chat.kind");
    }
}
