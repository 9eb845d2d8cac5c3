package dev.rootcause.chat.discord;

import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.StoreException;
import dev.rootcause.report.TextCut;
import dev.rootcause.report.render.discord.DiscordLimits;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.utils.data.DataArray;
import net.dv8tion.jda.api.utils.data.DataObject;

/**
 * Alert storms: when more than {@code storm.threshold} incidents opened within {@code storm.window}, a
 * new incident's report does not get its own channel message. Instead one digest message lists every
 * incident of the storm (the ones already posted too) and is edited as more join; each report goes to
 * the digest's thread. A digest holds {@code storm.per-message} incidents, then the next one starts.
 * Called from the outbox's single dispatcher thread only.
 */
@ApplicationScoped
class StormDigest {

    /** One line per incident in the digest's embed. */
    static final int LINE = 80;

    private final DiscordBot bot;
    private final DiscordConfig config;
    private final IncidentRepository incidents;
    private final Clock clock;
    private Digest current;

    StormDigest(DiscordBot bot, DiscordConfig config, IncidentRepository incidents, Clock clock) {
        this.bot = bot;
        this.config = config;
        this.incidents = incidents;
        this.clock = clock;
    }

    /** Where a stormed incident's report goes: the digest's thread. */
    record Slot(String digestMessageId, String threadId) {
    }

    private static final class Digest {
        String messageId;
        String threadId;
        Instant since;
        Instant lastJoin;
        final Map<Long, String> lines = new LinkedHashMap<>();
    }

    /**
     * Adds the incident to the current storm digest when there is a storm, posting or editing the digest.
     *
     * @param nonce the report effect's nonce; the digest post derives its own from it
     * @return where the report goes, or empty when there is no storm (post it on its own)
     */
    synchronized Optional<Slot> join(Incident incident, String nonce) {
        Instant now = clock.instant();
        List<Incident> recent = recentlyOpened(now);
        boolean digestLive = current != null && current.lastJoin.plus(config.storm().window()).isAfter(now);
        if (recent.size() <= config.storm().threshold() && !digestLive) {
            current = null;
            return Optional.empty();
        }
        if (!digestLive || current.lines.size() >= config.storm().perMessage()) {
            boolean continued = digestLive;
            current = new Digest();
            current.since = recent.isEmpty() ? incident.openedAt() : recent.get(recent.size() - 1).openedAt();
            if (!continued) {
                // the storm's first digest also names the incidents posted before it was recognised
                for (int i = recent.size() - 1; i >= 0 && current.lines.size() < config.storm().perMessage() - 1; i--) {
                    if (recent.get(i).id() != incident.id()) {
                        current.lines.put(recent.get(i).id(), line(recent.get(i)));
                    }
                }
            }
            current.lines.put(incident.id(), line(incident));
            current.lastJoin = now;
            TextChannel channel = bot.incidentChannel();
            current.messageId = DiscordRest.post(bot.jda(), channel.getId(), body(nonce + "-d"));
            current.threadId = DiscordChatPublisher.thread(channel, current.messageId, "Alert storm since " + current.since);
            return Optional.of(new Slot(current.messageId, current.threadId));
        }
        current.lines.put(incident.id(), line(incident));
        current.lastJoin = now;
        DiscordRest.edit(bot.jda(), bot.incidentChannel().getId(), current.messageId, body(null));
        return Optional.of(new Slot(current.messageId, current.threadId));
    }

    /** Keeps a stormed incident's line in the digest up to date (acknowledged, resolved). */
    synchronized void statusChanged(Incident incident) {
        if (current != null && current.lines.containsKey(incident.id())) {
            current.lines.put(incident.id(), line(incident));
            DiscordRest.edit(bot.jda(), bot.incidentChannel().getId(), current.messageId, body(null));
        }
    }

    private List<Incident> recentlyOpened(Instant now) {
        try {
            Instant since = now.minus(config.storm().window());
            List<Incident> out = new ArrayList<>();
            for (Incident i : incidents.list(null, config.storm().perMessage() + config.storm().threshold() + 1)) {
                if (i.openedAt().isBefore(since)) {
                    break;
                }
                out.add(i);
            }
            return out;
        } catch (StoreException e) {
            throw new IllegalStateException("counting recent incidents failed: " + e.getMessage(), e);
        }
    }

    private static String line(Incident i) {
        String mark = switch (i.status()) {
            case "acknowledged" -> "🟡";
            case "resolved" -> "✅";
            default -> "🔴";
        };
        return TextCut.cut(mark + " #" + i.id() + " " + i.title().replace('\n', ' '), LINE);
    }

    private DataObject body(String nonce) {
        StringBuilder list = new StringBuilder();
        current.lines.values().forEach(l -> list.append(l).append('\n'));
        String content = "⚠️ **Alert storm**: " + current.lines.size() + " incidents since " + current.since
                + " — each report is in this message's thread";
        DataObject body = DataObject.empty().put("content", TextCut.cut(content, DiscordLimits.CONTENT))
                .put("embeds", DataArray.empty().add(new EmbedBuilder().setTitle("Incidents in this storm")
                        .setDescription(TextCut.cut(list.toString(), DiscordLimits.DESCRIPTION)).setColor(0xD32F2F)
                        .build().toData()))
                .put("allowed_mentions", DataObject.empty().put("parse", DataArray.empty()));
        if (nonce != null) {
            body.put("nonce", nonce).put("enforce_nonce", true);
        }
        return body;
    }
}
