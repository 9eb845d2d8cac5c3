package dev.rootcause.chat.discord;

import dev.rootcause.chat.ChatConfig;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentLinks;
import dev.rootcause.incident.effect.ChatPublisher;
import dev.rootcause.report.Report;
import dev.rootcause.report.ReportChart;
import dev.rootcause.report.ReportOutline;
import dev.rootcause.report.TextCut;
import dev.rootcause.report.render.discord.DiscordLimits;
import dev.rootcause.rule.ServiceCatalogue;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.utils.data.DataObject;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import org.jboss.logging.Logger;

/**
 * Reports to Discord, used when {@code rootcause.chat.discord.token} is set. The first report of an
 * incident is one message in the incident channel (embed, chart, buttons; the on-call role mentioned)
 * with a thread started from it; later reports, follow-ups and storm details go to threads, and the
 * message is edited to show the status. Every create carries the outbox's nonce with
 * {@code enforce_nonce}, so a retry after a lost answer returns the first message instead of a second.
 * JDA waits out 429s itself ({@code retry_after}); a 400 is logged with Discord's JSON error and a short
 * plain-text message is posted instead, so the alert is never silent.
 */
@ApplicationScoped
@LookupIfProperty(name = ChatConfig.KIND, stringValue = "discord")
public class DiscordChatPublisher implements ChatPublisher {

    private static final Logger LOG = Logger.getLogger(DiscordChatPublisher.class);

    private final DiscordBot bot;
    private final DiscordConfig config;
    private final StormDigest storm;
    private final ServiceCatalogue catalogue;
    private final IncidentLinks links;

    DiscordChatPublisher(DiscordBot bot, DiscordConfig config, StormDigest storm, ServiceCatalogue catalogue, IncidentLinks links) {
        this.links = links;
        this.bot = bot;
        this.config = config;
        this.storm = storm;
        this.catalogue = catalogue;
    }

    /** Only the replica holding the gateway session posts; the others leave chat effects to it. */
    @Override
    public boolean ready() {
        return bot.connected();
    }

    /**
     * The role to ping for an incident: the on-call role of the service the catalogue finds from the
     * alert group's common labels ({@code rules/services.yaml}), else {@code rootcause.chat.discord.oncall-role}.
     */
    String oncallRole(Incident incident) {
        return catalogue.resolve(incident.commonLabels()).map(ServiceCatalogue.Service::oncallRole)
                .or(config::oncallRole).orElse(null);
    }

    @Override
    public ChatRef publish(Incident incident, Report report, ChatRef existing, String nonce) {
        byte[] chart = ReportChart.render(report.diagnosis()).orElse(null);
        if (existing != null) {
            return rediagnosed(incident, report, existing, nonce, chart);
        }
        TextChannel channel = bot.incidentChannel();
        Optional<StormDigest.Slot> digest = storm.join(incident, nonce);
        if (digest.isPresent()) {
            // in a storm the channel gets the digest only; the report goes to the digest's thread
            String threadId = digest.get().threadId();
            String id = send(threadId, incident, report, null, chart, nonce);
            return new ChatRef(threadId, id, threadId);
        }
        String messageId = send(channel.getId(), incident, report, oncallRole(incident), chart, nonce);
        String threadId = thread(channel, messageId, "#" + incident.id() + " " + incident.title());
        return new ChatRef(channel.getId(), messageId, threadId);
    }

    private ChatRef rediagnosed(Incident incident, Report report, ChatRef existing, String nonce, byte[] chart) {
        String target = existing.threadId() != null ? existing.threadId() : existing.channelId();
        send(target, incident, report, null, chart, nonce);
        MessageCreateData updated = ReportMessage.render(incident, report.outline(), null, null, page(incident));
        DataObject edit = DataObject.empty().put("content", updated.getContent())
                .put("embeds", net.dv8tion.jda.api.utils.data.DataArray.fromCollection(
                        updated.getEmbeds().stream().map(e -> e.toData()).toList()));
        DiscordRest.edit(bot.jda(), existing.channelId(), existing.messageId(), edit);
        return existing;
    }

    /** Sends the report message; on a 400, logs Discord's error body and sends a short text instead. */
    private String send(String channelId, Incident incident, Report report, String role, byte[] chart, String nonce) {
        JDA jda = bot.jda();
        ReportOutline outline = report.outline();
        MessageCreateData data = ReportMessage.render(incident, outline, role, chart, page(incident));
        try {
            var channel = jda.getChannelById(net.dv8tion.jda.api.entities.channel.middleman.MessageChannel.class, channelId);
            if (channel != null) {
                return channel.sendMessage(data).setNonce(nonce).timeout(DiscordRest.TIMEOUT_SECONDS, TimeUnit.SECONDS).complete().getId();
            }
            // a thread JDA does not hold (archived, or from before a restart): JSON only, no chart
            DataObject body = data.toData().put("nonce", nonce).put("enforce_nonce", true);
            body.remove("attachments");
            return DiscordRest.post(jda, channelId, body);
        } catch (ErrorResponseException e) {
            if (e.getResponse() == null || e.getResponse().code != 400) {
                throw e;
            }
            LOG.errorf("Discord refused the report of incident %d (HTTP 400, code %d): %s %s", incident.id(), e.getErrorCode(),
                    e.getMeaning(), body(e));
            String text = "Incident #" + incident.id() + ": " + outline.title() + "\n" + outline.headline()
                    + "\n(The full report could not be shown in Discord; see " + links.absoluteIncident(incident.id())
                            .orElse("the ticket or GET /api/v1/incidents/" + incident.id()) + ")";
            return DiscordRest.post(jda, channelId, DiscordRest.text(text, nonce + "-f"));
        }
    }

    /** The incident page's absolute URL, or null without {@code rootcause.external-url} (Discord takes absolute links only). */
    private String page(Incident incident) {
        return links.absoluteIncident(incident.id()).orElse(null);
    }

    /** Discord's JSON error as it came, for the log. */
    private static String body(ErrorResponseException e) {
        try {
            return e.getResponse().optObject().map(Object::toString).orElse("(no JSON body)")
                    + (e.getSchemaErrors().isEmpty() ? "" : " " + e.getSchemaErrors());
        } catch (RuntimeException unreadable) {
            return "(body unreadable: " + unreadable.getMessage() + ")";
        }
    }

    /**
     * Starts the incident's thread from its message. A thread started from a message has the message's id,
     * so a retry that finds the thread already there (a lost answer) uses it.
     */
    static String thread(TextChannel channel, String messageId, String name) {
        try {
            ThreadChannel t = channel.createThreadChannel(TextCut.cut(name, 100), messageId)
                    .timeout(DiscordRest.TIMEOUT_SECONDS, TimeUnit.SECONDS).complete();
            return t.getId();
        } catch (ErrorResponseException e) {
            if (e.getErrorResponse() == ErrorResponse.THREAD_WITH_THIS_MESSAGE_ALREADY_EXISTS) {
                return messageId;
            }
            throw e;
        }
    }

    @Override
    public void followUp(Incident incident, ChatRef ref, String text, String nonce) {
        String target = ref.threadId() != null ? ref.threadId() : ref.channelId();
        DiscordRest.post(bot.jda(), target, DiscordRest.text(text, nonce));
    }

    /** The line with a Retry button ({@code rc:retry:<incident id>}), pinging nobody, deduplicated on the nonce. */
    @Override
    public void effectFailed(Incident incident, ChatRef ref, String text, String nonce) {
        String target = ref.threadId() != null ? ref.threadId() : ref.channelId();
        DiscordRest.post(bot.jda(), target, failedMessage(incident.id(), text, nonce));
    }

    static DataObject failedMessage(long incidentId, String text, String nonce) {
        MessageCreateData data = new MessageCreateBuilder().setContent(TextCut.cut(text, DiscordLimits.CONTENT))
                .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
                .setComponents(ActionRow.of(Button.primary(ButtonId.of(ButtonId.RETRY, incidentId), "Retry"))).build();
        return data.toData().put("nonce", nonce).put("enforce_nonce", true);
    }

    @Override
    public void showStatus(Incident incident, ChatRef ref) {
        // Only the content changes: the embed, chart and buttons stay as posted.
        DiscordRest.edit(bot.jda(), ref.channelId(), ref.messageId(),
                DataObject.empty().put("content", TextCut.cut(ReportMessage.statusLine(incident), DiscordLimits.CONTENT)));
        storm.statusChanged(incident);
    }
}
