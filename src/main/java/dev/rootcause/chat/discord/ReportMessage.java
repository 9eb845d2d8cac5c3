package dev.rootcause.chat.discord;

import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.pipeline.IncidentService;
import dev.rootcause.report.ReportOutline;
import dev.rootcause.report.ReportOutliner;
import dev.rootcause.report.TextCut;
import dev.rootcause.report.render.discord.DiscordEmbed;
import dev.rootcause.report.render.discord.DiscordLimits;
import dev.rootcause.report.render.discord.DiscordRenderer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;

/**
 * A report as one JDA Discord message: a status line (with the on-call role's mention), the embed that
 * {@link DiscordRenderer} formats from the report's outline (within every limit of {@link DiscordLimits}),
 * the chart as an attachment shown in the embed, and the incident's buttons (actions; a verdict on the root cause and
 * the incident page's link).
 */
final class ReportMessage {

    static final String CHART = "chart.png";

    private ReportMessage() {
    }

    /** The message of a diagnosis, outlined with the incident's title and severity ({@link ReportOutliner}). */
    static MessageCreateData render(Incident incident, String title, String severity, Diagnosis d, String oncallRole,
            byte[] chartPng) {
        return render(incident, ReportOutliner.outline(title, severity, incident == null ? null : incident.id(), d), oncallRole, chartPng);
    }

    /**
     * @param incident   the incident, or null for an on-demand diagnosis (no buttons, no status)
     * @param oncallRole the role id to mention, or null
     * @param chartPng   the chart, or null
     */
    static MessageCreateData render(Incident incident, ReportOutline outline, String oncallRole, byte[] chartPng) {
        return render(incident, outline, oncallRole, chartPng, null);
    }

    /**
     * @param pageUrl the incident page's absolute URL ({@code rootcause.external-url} set), or null: then the embed's
     *                title links to it and an "Open incident page" button leads there
     */
    static MessageCreateData render(Incident incident, ReportOutline outline, String oncallRole, byte[] chartPng, String pageUrl) {
        MessageCreateBuilder b = new MessageCreateBuilder();
        String content = incident == null ? "" : statusLine(incident);
        if (oncallRole != null) {
            content = "<@&" + oncallRole + "> " + content;
        }
        b.setContent(TextCut.cut(content, DiscordLimits.CONTENT));
        b.setEmbeds(embed(outline, chartPng != null, pageUrl));
        b.setAllowedMentions(EnumSet.noneOf(net.dv8tion.jda.api.entities.Message.MentionType.class));
        if (oncallRole != null) {
            b.mentionRoles(oncallRole);
        }
        if (incident != null) {
            b.setComponents(buttons(incident.id(), pageUrl));
        }
        if (chartPng != null) {
            // a supplier, not the bytes' one stream: JDA sends the request again after a 429
            b.setFiles(FileUpload.fromStreamSupplier(CHART, () -> new java.io.ByteArrayInputStream(chartPng)));
        }
        return b.build();
    }

    /**
     * The buttons under a report; their ids carry the action and the incident ({@code rc:ack:12}). The second row asks
     * for a verdict on the root cause and, with an absolute page URL, links to the incident page.
     */
    static List<ActionRow> buttons(long incidentId, String pageUrl) {
        ActionRow actions = ActionRow.of(Button.primary(ButtonId.of(ButtonId.ACK, incidentId), "Acknowledge"),
                Button.secondary(ButtonId.of(ButtonId.TICKET, incidentId), "Create ticket"),
                Button.secondary(ButtonId.of(ButtonId.SILENCE, incidentId), "Silence 1h"),
                Button.secondary(ButtonId.of(ButtonId.REDIAGNOSE, incidentId), "Re-run diagnosis"));
        List<Button> verdict = new ArrayList<>(List.of(Button.success(ButtonId.of(ButtonId.RIGHT, incidentId), "Right cause"),
                Button.danger(ButtonId.of(ButtonId.WRONG, incidentId), "Wrong cause…")));
        if (pageUrl != null) {
            verdict.add(Button.link(pageUrl, "Open incident page"));
        }
        return List.of(actions, ActionRow.of(verdict));
    }

    /** The first line of an incident's message: its number and status, who acknowledged, how long it lasted. */
    static String statusLine(Incident i) {
        String status = switch (i.status()) {
            case "acknowledged" -> "🟡 **Incident #" + i.id() + " · acknowledged** by " + i.acknowledgedBy();
            case "resolved" -> "✅ **Incident #" + i.id() + " · resolved**" + (i.resolvedAt() == null ? ""
                    : " after " + IncidentService.human(Duration.between(i.openedAt(), i.resolvedAt())))
                    + (i.resolvedBy() == null ? "" : " (" + i.resolvedBy() + ")");
            case "reopened" -> "🔁 **Incident #" + i.id() + " · reopened**";
            default -> "🔴 **Incident #" + i.id() + " · open**";
        };
        return status + (i.ticketKey() == null ? "" : " · ticket " + i.ticketKey());
    }

    /** The embed of a report, formatted by {@link DiscordRenderer}; the chart, when there is one, as its image. */
    static MessageEmbed embed(ReportOutline outline, boolean chart) {
        return embed(outline, chart, null);
    }

    /** The embed, its title linking to the incident page when {@code pageUrl} is set. */
    static MessageEmbed embed(ReportOutline outline, boolean chart, String pageUrl) {
        DiscordEmbed r = DiscordRenderer.render(outline);
        EmbedBuilder e = new EmbedBuilder().setTitle(r.title(), pageUrl).setColor(r.colour()).setDescription(r.description())
                .setFooter(r.footer());
        r.fields().forEach(f -> e.addField(f.name(), f.value(), false));
        if (chart) {
            e.setImage("attachment://" + CHART);
        }
        return e.build();
    }
}
