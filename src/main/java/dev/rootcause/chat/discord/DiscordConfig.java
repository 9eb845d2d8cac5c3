package dev.rootcause.chat.discord;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Discord bot, under {@code rootcause.chat.discord}; used when {@code rootcause.chat.kind=discord},
 * which is the default when {@link #token()} is set. Otherwise the console (log) publisher is used and no
 * Discord connection is made.
 */
@ConfigMapping(prefix = "rootcause.chat.discord")
public interface DiscordConfig {

    /** The bot token (Discord developer portal → Bot → Token). Never logged. */
    Optional<String> token();

    /** The guild (server) id the bot serves; slash commands are registered there. Required with a token. */
    Optional<String> guild();

    /** The channel id incident reports are posted to. Required with a token. */
    Optional<String> channel();

    /**
     * The role pinged by a report whose service has no on-call role in the service catalogue
     * ({@code oncall.discord_role} in {@code rules/services.yaml} wins); no other mention ever pings (an {@code @everyone} in an annotation pings nobody).
     */
    Optional<String> oncallRole();

    /** Role ids allowed to take each action from Discord; an action with no role configured is refused to all. */
    Roles roles();

    /** Alert storms: more than {@code threshold} incidents opening within {@code window} are posted as a digest. */
    Storm storm();

    /** How long to wait at start for the gateway's READY before giving up (the service still starts). */
    @WithDefault("30s")
    Duration readyTimeout();

    /**
     * How often each replica checks who holds the gateway session (exactly one replica does): a replica that
     * died is replaced within this interval plus a login (about a second), or within about 25 s when its host
     * vanished without closing its connections (the store's TCP keepalives).
     */
    @WithDefault("2s")
    Duration electionInterval();

    /** REST API base; only tests change it (a local fake Discord). */
    @WithDefault("https://discord.com/api/v10/")
    String restUrl();

    /** Gateway URL; only tests set it (a local fake Discord). Unset: the one Discord names. */
    Optional<String> gatewayUrl();

    /** Role ids per action. */
    interface Roles {
        /** May acknowledge (button, {@code /incident ack}). */
        Optional<List<String>> ack();

        /** May resolve ({@code /incident resolve}). */
        Optional<List<String>> resolve();

        /** May silence the incident's alerts for 1 h in Alertmanager (button). */
        Optional<List<String>> silence();

        /** May ask for the ticket (button). */
        Optional<List<String>> ticket();

        /** May reload the rules ({@code /rules reload}) and re-run a diagnosis (button). */
        Optional<List<String>> reload();

        /** May say whether the root cause was right (Right cause / Wrong cause buttons); unset: the {@link #ack()} roles. */
        Optional<List<String>> feedback();
    }

    /** Storm digest settings. */
    interface Storm {
        /** Incidents opening within the window beyond which reports go to a digest. */
        @WithDefault("5")
        int threshold();

        /** The window incidents are counted in. */
        @WithDefault("60s")
        Duration window();

        /**
         * Incidents one digest message lists before a new digest message starts: 50 lines of at most 80
         * characters fit the embed description's 4096.
         */
        @WithDefault("50")
        int perMessage();
    }
}
