package dev.rootcause.chat;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The chat reports and follow-ups go to, under {@code rootcause.chat}; each backend has its own section. */
@ConfigMapping(prefix = "rootcause.chat")
public interface ChatConfig {

    /** The key of {@link #kind()}, for messages. */
    String KIND = "rootcause.chat.kind";

    /**
     * Which chat posts reports: {@code console} (each report written to the log, category
     * {@code rootcause.chat}) or {@code discord} (the bot under {@code rootcause.chat.discord}, which then
     * needs {@code rootcause.chat.discord.token}, {@code .guild} and {@code .channel}; without the token the
     * service does not start). Unset: {@code discord} when {@code rootcause.chat.discord.token} is set,
     * {@code console} otherwise (the behaviour before this setting existed).
     */
    Optional<Kind> kind();

    /** The chat backends. */
    enum Kind {
        /** The log. */
        CONSOLE,
        /** The Discord bot. */
        DISCORD;

        /** As written in the configuration, e.g. {@code discord}. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
