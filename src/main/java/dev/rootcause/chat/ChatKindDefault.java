package dev.rootcause.chat;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The value of {@code rootcause.chat.kind} when nobody sets it: {@code discord} when
 * {@code rootcause.chat.discord.token} is set, else {@code console}, as before the setting existed. Given as
 * a configuration source of the lowest ordinal (any explicit setting wins), so the backends can be chosen
 * by {@code @LookupIfProperty} on the one key. Registered in
 * {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}.
 */
public class ChatKindDefault implements ConfigSourceFactory {

    /** Below every real source (system properties 400, environment 300, application.properties 250). */
    static final int ORDINAL = 1;

    static final String TOKEN = "rootcause.chat.discord.token";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of(new PropertiesConfigSource(Map.of(ChatConfig.KIND, kind(context.getValue(TOKEN)).key()),
                "rootcause.chat.kind default (from " + TOKEN + ")", ORDINAL));
    }

    /** {@code discord} with a non-blank token, else {@code console}. */
    static ChatConfig.Kind kind(ConfigValue token) {
        boolean set = token != null && token.getValue() != null && !token.getValue().isBlank();
        return set ? ChatConfig.Kind.DISCORD : ChatConfig.Kind.CONSOLE;
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
