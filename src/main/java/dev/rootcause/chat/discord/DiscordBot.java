package dev.rootcause.chat.discord;

import dev.rootcause.chat.ChatConfig;
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
 * The bot's connection: started at application start when {@code rootcause.chat.kind} is {@code discord}
 * (by default: when {@code rootcause.chat.discord.token} is set),
 * waits (bounded) for READY, registers the slash commands in the configured guild and listens for
 * commands and buttons. JDA reconnects by itself after gateway drops; REST calls (all posts) do not need
 * the gateway. The token is handed to JDA only and never logged.
 */
@ApplicationScoped
public class DiscordBot {

    private static final Logger LOG = Logger.getLogger(DiscordBot.class);

    private final DiscordConfig config;
    private final ChatConfig chat;
    private final Instance<DiscordInteractions> interactions;
    private volatile JDA jda;

    DiscordBot(DiscordConfig config, ChatConfig chat, Instance<DiscordInteractions> interactions) {
        this.config = config;
        this.chat = chat;
        this.interactions = interactions;
    }

    void onStart(@Observes StartupEvent event, MeterRegistry meters) {
        ChatConfig.Kind kind = chat.kind().orElse(ChatConfig.Kind.CONSOLE);
        // rootcause_chat_gateway_connected{chat}: 1 while Discord's gateway is CONNECTED (commands and buttons
        // work), else 0; the console chat has no gateway and is always 1, so one alert rule fits both
        Gauge.builder("rootcause.chat.gateway.connected", this, b -> kind != ChatConfig.Kind.DISCORD || b.connected() ? 1 : 0)
                .description("1 while the chat's gateway is connected (Discord: JDA status CONNECTED)")
                .tag("chat", kind.key()).register(meters);
        if (kind != ChatConfig.Kind.DISCORD) {
            LOG.infof("rootcause.chat.kind=%s: reports go to the log (console chat), no Discord connection", kind.key());
            return;
        }
        config.token().orElseThrow(() -> new IllegalStateException(
                "rootcause.chat.kind=discord needs rootcause.chat.discord.token (the bot token)"));
        String guild = config.guild().orElseThrow(() -> new IllegalStateException(
                "rootcause.chat.discord.token is set but rootcause.chat.discord.guild (the server id) is not"));
        config.channel().orElseThrow(() -> new IllegalStateException(
                "rootcause.chat.discord.token is set but rootcause.chat.discord.channel (the incident channel id) is not"));
        connect(guild);
    }

    private boolean connected() {
        JDA j = jda;
        return j != null && j.getStatus() == JDA.Status.CONNECTED;
    }

    void onStop(@Observes ShutdownEvent event) {
        JDA j = jda;
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
