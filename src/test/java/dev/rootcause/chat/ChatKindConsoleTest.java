package dev.rootcause.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.chat.console.ConsoleChatPublisher;
import dev.rootcause.incident.effect.ChatPublisher;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code rootcause.chat.kind=console} wins over a Discord token: the log chat, and no Discord connection. */
@QuarkusTest
@TestProfile(ChatKindConsoleTest.ConsoleWithToken.class)
class ChatKindConsoleTest {

    public static class ConsoleWithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a token no Discord would accept: connecting with it would fail the login, logged, not thrown
            return Map.of("rootcause.chat.kind", "console", "rootcause.chat.discord.token", "not-a-real-token");
        }
    }

    @Inject
    Instance<ChatPublisher> chat;

    @Test
    void theConfiguredKindChoosesTheBackend() {
        assertThat(chat.get()).isInstanceOf(ConsoleChatPublisher.class);
    }
}
