package dev.rootcause.chat;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses to start with a {@code rootcause.chat.kind} no backend answers to: the backends are looked up by
 * the key's exact text ({@code @LookupIfProperty}), so {@code DISCORD}, which the enum would accept, would
 * leave reports with no chat at all. It observes start-up before every other observer (the Discord bot's
 * login among them), so a mistyped kind is the first and only thing the operator hears about.
 */
@ApplicationScoped
public class ChatKindCheck {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, ChatConfig config) {
        check(ConfigProvider.getConfig().getOptionalValue(ChatConfig.KIND, String.class).orElse(""), config);
    }

    /**
     * @param raw    the key's text as configured (or defaulted by {@link ChatKindDefault})
     * @param config the same value converted
     * @throws IllegalStateException naming the key, when the text is not exactly {@code console} or {@code discord}
     */
    static void check(String raw, ChatConfig config) {
        // unset, ChatKindDefault supplies a value; so no value means the key was set to nothing
        ChatConfig.Kind kind = config.kind().orElseThrow(() -> new IllegalStateException(ChatConfig.KIND
                + " is empty: set it to console or discord, or remove it to choose by whether a Discord token is set"));
        if (!raw.equals(kind.key())) {
            throw new IllegalStateException(ChatConfig.KIND + " must be console or discord (lower case), not \"" + raw + "\"");
        }
    }
}
