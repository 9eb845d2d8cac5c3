package dev.rootcause.chat.discord;

import dev.rootcause.chat.ChatConfig;
import dev.rootcause.incident.Leadership;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import org.jboss.logging.Logger;

/**
 * The bot's connection when {@code rootcause.chat.kind} is {@code discord} (by default: when
 * {@code rootcause.chat.discord.token} is set). Exactly one replica holds the gateway session: the one
 * holding the {@value #ROLE} role ({@link Leadership}), checked at start and every
 * {@code rootcause.chat.discord.election-interval}; a replica that takes the role connects, waits (bounded)
 * for READY, registers the slash commands in the configured guild and listens for commands and buttons; one
 * that loses it closes its session. Discord delivers an interaction to every session of the bot, so two
 * sessions would answer twice (docs/chat-and-tickets.md, "Several replicas"). JDA reconnects by itself after
 * gateway drops. The token is handed to JDA only and never logged.
 */
@ApplicationScoped
public class DiscordBot {

    private static final Logger LOG = Logger.getLogger(DiscordBot.class);

    /** The {@link Leadership} role of the replica that holds the gateway session. */
    static final String ROLE = "discord-gateway";

    private final DiscordConfig config;
    private final ChatConfig chat;
    private final Instance<DiscordInteractions> interactions;
    private final Leadership leadership;
    private volatile JDA jda;
    private volatile boolean enabled;
    private volatile boolean loginFailed;

    DiscordBot(DiscordConfig config, ChatConfig chat, Instance<DiscordInteractions> interactions, Leadership leadership) {
        this.config = config;
        this.chat = chat;
        this.interactions = interactions;
        this.leadership = leadership;
    }

    void onStart(@Observes StartupEvent event, MeterRegistry meters) {
        ChatConfig.Kind kind = chat.kind().orElse(ChatConfig.Kind.CONSOLE);
        // rootcause_chat_gateway_connected{chat}: 1 while Discord's gateway is CONNECTED (commands and buttons
        // work), else 0; the console chat has no gateway and is always 1, so one alert rule fits both
        Gauge.builder("rootcause.chat.gateway.connected", this, b -> kind != ChatConfig.Kind.DISCORD || b.gatewayUp() ? 1 : 0)
                .description("1 while the chat's gateway is connected (Discord: JDA status CONNECTED)")
                .tag("chat", kind.key()).register(meters);
        if (kind != ChatConfig.Kind.DISCORD) {
            LOG.infof("rootcause.chat.kind=%s: reports go to the log (console chat), no Discord connection", kind.key());
            return;
        }
        config.token().orElseThrow(() -> new IllegalStateException(
                "rootcause.chat.kind=discord needs rootcause.chat.discord.token (the bot token)"));
        config.guild().orElseThrow(() -> new IllegalStateException(
                "rootcause.chat.discord.token is set but rootcause.chat.discord.guild (the server id) is not"));
        config.channel().orElseThrow(() -> new IllegalStateException(
                "rootcause.chat.discord.token is set but rootcause.chat.discord.channel (the incident channel id) is not"));
        enabled = true;
        elect();
    }

    @Scheduled(every = "${rootcause.chat.discord.election-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void electionTick() {
        if (enabled) {
            elect();
        }
    }

    /**
     * Connects when this replica takes the gateway role, disconnects when it lost it (its store connection
     * ended). A replica without the role posts nothing itself: chat effects wait in the outbox for the holder.
     */
    synchronized void elect() {
        boolean holder = leadership.hold(ROLE);
        if (holder && jda == null && !loginFailed) {
            connect(config.guild().orElseThrow());
        } else if (!holder && jda != null) {
            LOG.warnf("this replica no longer holds the %s role: closing its Discord session (another replica takes it)", ROLE);
            disconnect();
        }
    }

    /** True while JDA's gateway status is CONNECTED (the metric {@code rootcause_chat_gateway_connected}). */
    private boolean gatewayUp() {
        JDA j = jda;
        return j != null && j.getStatus() == JDA.Status.CONNECTED;
    }

    void onStop(@Observes ShutdownEvent event) {
        enabled = false;
        disconnect();
        leadership.release(ROLE);
    }

    private synchronized void disconnect() {
        JDA j = jda;
        jda = null;
        if (j != null) {
            j.shutdown();
            try {
                if (!j.awaitShutdown(5, TimeUnit.SECONDS)) {
                    j.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                j.shutdownNow();
            }
        }
    }

    private void connect(String guildId) {
        CountDownLatch ready = new CountDownLatch(1);
        DiscordInteractions listener = interactions.get();
        JDABuilder builder = JDABuilder.createLight(config.token().get(), List.of())
                .setRestConfig(new RestConfig().setBaseUrl(config.restUrl()))
                .setEnableShutdownHook(false)
                .addEventListeners(listener, new ListenerAdapter() {
                    @Override
                    public void onReady(ReadyEvent e) {
                        ready.countDown();
                    }
                });
        config.gatewayUrl().ifPresent(url -> builder.setCompression(Compression.NONE)
                .setSessionController(new SessionControllerAdapter() {
                    @Override
                    public String getGateway() {
                        return url;
                    }
                }));
        try {
            jda = builder.build();
        } catch (RuntimeException e) {
            // e.g. an invalid token (401 on users/@me); the message names no secret
            LOG.errorf("Discord login failed: %s; reports stay in the outbox until it works", e.getMessage());
            loginFailed = true; // not retried every election tick; a restart with a good token does
            return;
        }
        try {
            // awaitReady() has no timeout (docs/development.md, "A fake Discord")
            if (!ready.await(config.readyTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("Discord gateway not READY after %s; continuing, JDA keeps trying", config.readyTimeout());
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        var guild = jda.getGuildById(guildId);
        if (guild == null) {
            LOG.errorf("the bot is not a member of guild %s (rootcause.chat.discord.guild); invite it first", guildId);
            return;
        }
        guild.updateCommands().addCommands(SlashCommands.definitions()).queue(
                ok -> LOG.infof("registered %d slash commands in guild %s", ok.size(), guildId),
                err -> LOG.errorf("registering slash commands in guild %s failed: %s", guildId, err.getMessage()));
        LOG.infof("Discord connected as %s; incident channel %s", jda.getSelfUser().getName(), config.channel().get());
    }

    /** True when this replica holds the gateway session (it alone posts, so chat effects are its to deliver). */
    boolean connected() {
        return jda != null;
    }

    /**
     * The JDA instance.
     *
     * @throws IllegalStateException when not connected (yet): the outbox retries
     */
    JDA jda() {
        JDA j = jda;
        if (j == null) {
            throw new IllegalStateException("Discord is not connected");
        }
        return j;
    }

    /**
     * The incident channel from JDA's cache (filled by the gateway).
     *
     * @throws IllegalStateException when it is not (yet) known
     */
    TextChannel incidentChannel() {
        String id = config.channel().orElseThrow();
        TextChannel c = jda().getTextChannelById(id);
        if (c == null) {
            throw new IllegalStateException("incident channel " + id + " not visible to the bot (yet): check"
                    + " rootcause.chat.discord.channel and the bot's View Channel permission");
        }
        return c;
    }
}
