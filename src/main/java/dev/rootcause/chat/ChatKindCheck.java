package dev.rootcause.chat;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses to start with a {@code rootcause.chat.kind} no backend answers to: the backends are looked up by
 * the key's exact text ({@code @LookupIfProperty}), so {@code DISCORD}, which the enum would accept, would
 * leave reports with no chat at all.
 */
@ApplicationScoped
public class ChatKindCheck {

    void onStart(@Observes StartupEvent event, ChatConfig config) {
        check(ConfigProvider.getConfig().getOptionalValue(ChatConfig.KIND, String.class).orElse(""), config);
    }

    /**
     * @param raw    the key's text as configured (or defaulted by {@link ChatKindDefault})
     * @param config the same value converted
     * @throws IllegalStateException naming the key, when the text is not exactly {@code console} or {@code discord}
     */
    static void check(String raw, ChatConfig config) {
        ChatConfig.Kind kind = config.kind().orElseThrow(() -> new IllegalStateException(ChatConfig.KIND
                + " has no value, not even its default (is " + ChatKindDefault.class.getName() + " registered?)"));
        if (!raw.equals(kind.key())) {
            throw new IllegalStateException(ChatConfig.KIND + " must be console or discord (lower case), not \"" + raw + "\"");
        }
    }
}
