package dev.rootcause.chat.discord;

import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentService;
import dev.rootcause.rule.CauseTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;

/**
 * A report as one Discord message: a status line (with the on-call role's mention), one embed (title,
 * severity colour, root cause and confidence, the annotation's description, "partial: <source>
 * unreachable", the layered verdict and the top evidence as fields, labels, runbook), the chart as an
 * attachment shown in the embed, and the incident's buttons. Every limit of {@link DiscordLimits} is
 * applied here, before sending; what was cut is said in the text and the footer.
 */
final class ReportMessage {

    static final String CHART = "chart.png";
    /** Evidence fields at most: the top of the evidence, the full list is in the ticket and the API. */
    static final int MAX_EVIDENCE = 8;

    private ReportMessage() {
    }

    /**
     * @param incident   the incident, or null for an on-demand diagnosis (no buttons, no status)
     * @param oncallRole the role id to mention, or null
     * @param chartPng   the chart, or null
     */
    static MessageCreateData render(Incident incident, String title, String severity, Diagnosis d, String oncallRole,
            byte[] chartPng) {
        MessageCreateBuilder b = new MessageCreateBuilder();
        String content = incident == null ? "" : statusLine(incident);
        if (oncallRole != null) {
            content = "<@&" + oncallRole + "> " + content;
        }
        b.setContent(DiscordLimits.cut(content, DiscordLimits.CONTENT));
        b.setEmbeds(embed(incident, title, severity, d, chartPng != null));
        b.setAllowedMentions(EnumSet.noneOf(net.dv8tion.jda.api.entities.Message.MentionType.class));
        if (oncallRole != null) {
            b.mentionRoles(oncallRole);
        }
        if (incident != null) {
            b.setComponents(buttons(incident.id()));
        }
        if (chartPng != null) {
            // a supplier, not the bytes' one stream: JDA sends the request again after a 429
            b.setFiles(FileUpload.fromStreamSupplier(CHART, () -> new java.io.ByteArrayInputStream(chartPng)));
        }
        return b.build();
    }

    /** The buttons under a report; their ids carry the action and the incident ({@code rc:ack:12}). */
    static ActionRow buttons(long incidentId) {
        return ActionRow.of(Button.primary(ButtonId.of(ButtonId.ACK, incidentId), "Acknowledge"),
                Button.secondary(ButtonId.of(ButtonId.TICKET, incidentId), "Create ticket"),
                Button.secondary(ButtonId.of(ButtonId.SILENCE, incidentId), "Silence 1h"),
                Button.secondary(ButtonId.of(ButtonId.REDIAGNOSE, incidentId), "Re-run diagnosis"));
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

    static MessageEmbed embed(Incident incident, String title, String severity, Diagnosis d, boolean chart) {
        String description = description(d);
        List<MessageEmbed.Field> fields = fields(d);
        int evidenceFields = (int) fields.stream().filter(f -> f.getName().startsWith("Evidence")).count();
        int droppedEvidence = 0;
        String shownTitle = DiscordLimits.cut(title, DiscordLimits.TITLE);
        String footer = footer(incident, d, 0, false);
        // Discord rejects a message whose embeds total more than 6000 characters: drop evidence fields from
        // the end first (they are in the ticket and the API), then shorten the description.
        while (total(shownTitle, description, fields, footer) > DiscordLimits.EMBED_TOTAL && droppedEvidence < evidenceFields) {
            int last = lastEvidence(fields);
            fields.remove(last);
            droppedEvidence++;
            footer = footer(incident, d, droppedEvidence, false);
        }
        int over = total(shownTitle, description, fields, footer(incident, d, droppedEvidence, true)) - DiscordLimits.EMBED_TOTAL;
        if (over > 0) {
            footer = footer(incident, d, droppedEvidence, true);
            description = DiscordLimits.cut(description, description.length() - over);
        }
        EmbedBuilder e = new EmbedBuilder().setTitle(shownTitle).setColor(colour(severity)).setDescription(description)
                .setFooter(footer);
        fields.forEach(e::addField);
        if (chart) {
            e.setImage("attachment://" + CHART);
        }
        return e.build();
    }

    private static String description(Diagnosis d) {
        StringBuilder s = new StringBuilder();
        RootCause rc = d.rootCause();
        if (rc != null) {
            s.append("**Root cause** (confidence: ").append(rc.confidence()).append("): ").append(rc.summary());
            if (rc.note() != null) {
                s.append("\n*Confidence ").append(rc.note()).append('*');
            }
        } else {
            s.append("**Root cause:** not determined").append(d.rules().isEmpty() ? " (no rule applies)" : "");
        }
        for (String note : d.rankingNotes()) {
            s.append("\n⚖️ ").append(note);
        }
        for (String source : unreachable(d)) {
            s.append("\n⚠️ partial: ").append(source).append(" unreachable");
        }
        if (d.rules().isEmpty() && !d.partial().isEmpty()) {
            d.partial().forEach(p -> s.append("\n⚠️ ").append(p));
        }
        String about = d.alert().annotations().getOrDefault("description", d.alert().annotations().get("summary"));
        String head = DiscordLimits.cut(s.toString(), DiscordLimits.DESCRIPTION / 2);
        if (about == null || about.isBlank()) {
            return head;
        }
        return head + "\n\n" + DiscordLimits.cut(about, DiscordLimits.DESCRIPTION - head.length() - 2);
    }

    /** The sources that errored or timed out, with why: "prometheus (timeout: ...)". */
    static List<String> unreachable(Diagnosis d) {
        Set<String> out = new LinkedHashSet<>();
        for (Evidence e : d.evidence()) {
            if (e.status() == Evidence.Status.ERROR || e.status() == Evidence.Status.TIMEOUT) {
                out.add((e.source() == null ? e.step() : e.source()));
            }
        }
        return List.copyOf(out);
    }

    private static List<MessageEmbed.Field> fields(Diagnosis d) {
        List<MessageEmbed.Field> out = new ArrayList<>();
        for (Diagnosis.LayerVerdict l : d.layers()) {
            out.add(field("Layer · " + l.layer(), l.showed() + (l.checked().isEmpty() ? "" : "\nchecked: " + String.join(", ", l.checked()))));
        }
        for (Evidence e : topEvidence(d)) {
            out.add(field("Evidence · " + e.step() + " (" + e.kind() + ", " + e.status().wire() + ")", evidence(e)));
        }
        Map<String, String> labels = new TreeMap<>(d.alert().labels());
        if (!labels.isEmpty()) {
            out.add(field("Labels", labels(labels)));
        }
        if (d.runbook() != null) {
            out.add(field("Runbook", d.runbook()));
        }
        while (out.size() > DiscordLimits.FIELDS) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** The root cause's cited evidence first, then the rest that answered, then what did not. */
    private static List<Evidence> topEvidence(Diagnosis d) {
        Set<String> cited = new LinkedHashSet<>();
        if (d.rootCause() != null) {
            d.findings().stream().filter(f -> Finding.SUPPORTS.equals(f.verdict()) && f.rule().equals(d.rootCause().rule())
                    && f.id().equals(d.rootCause().finding())).forEach(f -> cited.addAll(f.cites()));
        }
        List<Evidence> sorted = new ArrayList<>(d.evidence());
        sorted.sort((a, b) -> Integer.compare(rank(a, cited), rank(b, cited)));
        return sorted.subList(0, Math.min(MAX_EVIDENCE, sorted.size()));
    }

    private static int rank(Evidence e, Set<String> cited) {
        return cited.contains(e.step()) ? 0 : e.ok() ? 1 : 2;
    }

    private static String evidence(Evidence e) {
        StringBuilder v = new StringBuilder();
        e.values().forEach((k, val) -> v.append(v.length() == 0 ? "" : " · ").append(k).append(" = ").append(CauseTemplate.format(val, null)));
        if (e.reason() != null) {
            v.append(v.length() == 0 ? "" : "\n").append(e.reason());
        }
        String link = e.link() == null ? "" : "\n[open in " + e.source() + "](" + e.link() + ")";
        if (link.length() > DiscordLimits.FIELD_VALUE / 2) {
            link = "\n(link longer than Discord allows; see the ticket)";
        }
        String text = v.length() == 0 ? "no values" : v.toString();
        return DiscordLimits.cut(text, DiscordLimits.FIELD_VALUE - link.length()) + link;
    }

    /** {@code k=v} pairs as many as fit, then how many more there were. */
    static String labels(Map<String, String> labels) {
        StringBuilder s = new StringBuilder();
        int shown = 0;
        for (Map.Entry<String, String> l : labels.entrySet()) {
            String pair = "`" + l.getKey() + "=" + l.getValue() + "`";
            String more = " … and " + (labels.size() - shown) + " more labels";
            if (s.length() + pair.length() + 2 + more.length() > DiscordLimits.FIELD_VALUE) {
                String rest = " … and " + (labels.size() - shown) + " more labels";
                return s.length() == 0 ? DiscordLimits.cut(pair, DiscordLimits.FIELD_VALUE - rest.length()) + rest : s + rest;
            }
            s.append(shown == 0 ? "" : ", ").append(pair);
            shown++;
        }
        return s.toString();
    }

    private static MessageEmbed.Field field(String name, String value) {
        return new MessageEmbed.Field(DiscordLimits.cut(name, DiscordLimits.FIELD_NAME),
                DiscordLimits.cut(value == null || value.isBlank() ? "-" : value, DiscordLimits.FIELD_VALUE), false);
    }

    private static String footer(Incident incident, Diagnosis d, int droppedEvidence, boolean descriptionCut) {
        String s = (incident == null ? "on-demand diagnosis" : "incident #" + incident.id())
                + (d.rules().isEmpty() ? "" : " · rules: " + String.join(", ", d.rules()));
        List<String> cut = new ArrayList<>();
        if (droppedEvidence > 0) {
            cut.add(droppedEvidence + " evidence field" + (droppedEvidence == 1 ? "" : "s"));
        }
        if (descriptionCut) {
            cut.add("part of the description");
        }
        if (!cut.isEmpty()) {
            s += " · cut to fit Discord: " + String.join(", ", cut) + " (full report in the ticket and the API)";
        }
        return DiscordLimits.cut(s, DiscordLimits.FOOTER);
    }

    private static int total(String title, String description, List<MessageEmbed.Field> fields, String footer) {
        int n = title.length() + description.length() + footer.length();
        for (MessageEmbed.Field f : fields) {
            n += f.getName().length() + f.getValue().length();
        }
        return n;
    }

    private static int lastEvidence(List<MessageEmbed.Field> fields) {
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (fields.get(i).getName().startsWith("Evidence")) {
                return i;
            }
        }
        throw new IllegalStateException("no evidence field");
    }

    /** Severity colours: critical red, warning amber, info blue, unknown grey. */
    static int colour(String severity) {
        if (severity == null) {
            return 0x757575;
        }
        return switch (severity.toLowerCase()) {
            case "critical", "page", "emergency", "high", "error" -> 0xD32F2F;
            case "warning", "warn", "medium" -> 0xF9A825;
            case "info", "low", "notice" -> 0x1976D2;
            default -> 0x757575;
        };
    }
}
