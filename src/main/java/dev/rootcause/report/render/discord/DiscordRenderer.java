package dev.rootcause.report.render.discord;

import static dev.rootcause.report.TextCut.cut;

import dev.rootcause.report.ReportOutline;
import java.util.ArrayList;
import java.util.List;

/**
 * A report outline as one Discord embed: title, severity colour, the headline with its confidence note,
 * the evidence it rests on, why it was preferred, what is partial and the alert's description; the
 * layered verdict, the top evidence, what was ruled out, what was not checked, labels and runbook as
 * fields. Every limit of {@link DiscordLimits} is applied here; what was cut is said in the text and in
 * the footer. Only formats: every word comes from the outline.
 */
public final class DiscordRenderer {

    /** Evidence fields at most: the top of the evidence, the full list is in the ticket and the API. */
    public static final int MAX_EVIDENCE = 8;
    static final String EVIDENCE_FIELD = ReportOutline.EVIDENCE + " · ";
    /** Characters of the description kept whatever the length of the rest: the headline and its note. */
    private static final int HEADLINE_KEPT = 600;
    /** Characters a field value keeps when the embed must shrink further. */
    private static final int FIELD_KEPT = 120;

    private DiscordRenderer() {
    }

    public static DiscordEmbed render(ReportOutline o) {
        String title = cut(o.symptom(), DiscordLimits.TITLE);
        String description = description(o);
        List<DiscordEmbed.Field> fields = fields(o);
        int evidenceFields = (int) fields.stream().filter(f -> f.name().startsWith(EVIDENCE_FIELD)).count();
        int dropped = 0;
        String footer = footer(o, 0, false);
        // Discord rejects a message whose embeds total more than 6000 characters: drop evidence fields from
        // the end first (they are in the ticket and the API), then shorten the description.
        while (DiscordEmbed.length(title, description, fields, footer) > DiscordLimits.EMBED_TOTAL && dropped < evidenceFields) {
            fields.remove(lastEvidence(fields));
            dropped++;
            footer = footer(o, dropped, false);
        }
        int over = DiscordEmbed.length(title, description, fields, footer(o, dropped, true)) - DiscordLimits.EMBED_TOTAL;
        if (over > 0) {
            footer = footer(o, dropped, true);
            // the description gives all but its headline; what is still over comes from the longest fields
            int fromDescription = Math.min(over, Math.max(0, description.length() - HEADLINE_KEPT));
            description = cut(description, description.length() - fromDescription);
            shortenLongestFields(fields, over - fromDescription);
        }
        return new DiscordEmbed(title, description, fields, colour(o.severity()), footer);
    }

    /**
     * Takes {@code over} characters from the longest field values, one at a time, each kept to at least
     * {@link #FIELD_KEPT} characters (Discord rejects an empty field value).
     */
    private static void shortenLongestFields(List<DiscordEmbed.Field> fields, int over) {
        while (over > 0) {
            int longest = -1;
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).value().length() > FIELD_KEPT
                        && (longest < 0 || fields.get(i).value().length() > fields.get(longest).value().length())) {
                    longest = i;
                }
            }
            if (longest < 0) {
                return;
            }
            DiscordEmbed.Field f = fields.get(longest);
            String value = cut(f.value(), Math.max(FIELD_KEPT, f.value().length() - over));
            over -= f.value().length() - value.length();
            fields.set(longest, new DiscordEmbed.Field(f.name(), value));
        }
    }

    private static String description(ReportOutline o) {
        StringBuilder s = new StringBuilder("**").append(o.headLabel()).append("** ").append(o.headText());
        o.details().forEach(l -> s.append("\n• ").append(l));
        if (o.cause() != null && o.cause().note() != null) {
            s.append("\n*").append(o.cause().note()).append('*');
        }
        if (o.cause() != null && o.cause().basedOn() != null) {
            s.append('\n').append(o.cause().basedOn());
        }
        if (!o.weighed().isEmpty()) {
            s.append("\n**").append(ReportOutline.WEIGHED).append(":**");
            o.weighed().forEach(n -> s.append("\n⚖️ ").append(n));
        }
        o.group().forEach(g -> s.append("\n").append(g));
        if (!o.partial().isEmpty()) {
            s.append("\n**").append(ReportOutline.PARTIAL).append("** ").append(ReportOutline.PARTIAL_WHY);
            o.partial().forEach(p -> s.append("\n⚠️ ").append(p));
        }
        s.append("\n**").append(ReportOutline.TITLE).append("** ").append(o.title());
        String head = cut(s.toString(), DiscordLimits.DESCRIPTION / 2);
        if (o.about() == null) {
            return head;
        }
        return head + "\n\n" + cut(o.about(), DiscordLimits.DESCRIPTION - head.length() - 2);
    }

    private static List<DiscordEmbed.Field> fields(ReportOutline o) {
        List<DiscordEmbed.Field> out = new ArrayList<>();
        for (ReportOutline.Layer l : o.layers()) {
            out.add(field(ReportOutline.LAYERS + " · " + l.layer(), l.showed() + (l.checked().isEmpty() ? "" : "\nchecked: " + l.checked())));
        }
        for (ReportOutline.EvidenceItem e : o.topEvidence(MAX_EVIDENCE)) {
            out.add(field(EVIDENCE_FIELD + e.heading(), evidence(e)));
        }
        if (!o.ruledOut().isEmpty()) {
            out.add(field(ReportOutline.RULED_OUT, list(o.ruledOut().stream().map(ReportOutline.FindingLine::line).toList())));
        }
        if (!o.notChecked().isEmpty()) {
            out.add(field(ReportOutline.NOT_CHECKED, list(o.notChecked().stream().map(ReportOutline.NotChecked::line).toList())));
        }
        if (o.readAs() != null) {
            out.add(field(ReportOutline.READ_AS.replace(":", ""), o.readAs()));
        }
        if (!o.labels().isEmpty()) {
            out.add(field(ReportOutline.LABELS, labels(o.labelPairs())));
        }
        if (o.runbook() != null) {
            out.add(field(ReportOutline.RUNBOOK, o.runbook()));
        }
        while (out.size() > DiscordLimits.FIELDS) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static String evidence(ReportOutline.EvidenceItem e) {
        String text = e.valuesLine();
        if (e.note() != null) {
            text += (text.isEmpty() ? "" : "\n") + e.note();
        }
        String link = e.link() == null ? "" : "\n[" + e.linkText() + "](" + e.link() + ")";
        if (link.length() > DiscordLimits.FIELD_VALUE / 2) {
            link = "\n(link longer than Discord allows; see the ticket)";
        }
        return cut(text.isEmpty() ? ReportOutline.NO_VALUES : text, DiscordLimits.FIELD_VALUE - link.length()) + link;
    }

    private static String list(List<String> lines) {
        return String.join("\n", lines.stream().map(l -> "• " + l).toList());
    }

    /** {@code k=v} pairs as many as fit, then how many more there were. */
    static String labels(List<String> pairs) {
        StringBuilder s = new StringBuilder();
        int shown = 0;
        for (String p : pairs) {
            String pair = "`" + p + "`";
            String more = " … and " + (pairs.size() - shown) + " more labels";
            if (s.length() + pair.length() + 2 + more.length() > DiscordLimits.FIELD_VALUE) {
                return s.length() == 0 ? cut(pair, DiscordLimits.FIELD_VALUE - more.length()) + more : s + more;
            }
            s.append(shown == 0 ? "" : ", ").append(pair);
            shown++;
        }
        return s.toString();
    }

    private static DiscordEmbed.Field field(String name, String value) {
        return new DiscordEmbed.Field(cut(name, DiscordLimits.FIELD_NAME),
                cut(value == null || value.isBlank() ? "-" : value, DiscordLimits.FIELD_VALUE));
    }

    private static String footer(ReportOutline o, int droppedEvidence, boolean descriptionCut) {
        String s = o.footer();
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
        return cut(s, DiscordLimits.FOOTER);
    }

    private static int lastEvidence(List<DiscordEmbed.Field> fields) {
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (fields.get(i).name().startsWith(EVIDENCE_FIELD)) {
                return i;
            }
        }
        throw new IllegalStateException("no evidence field");
    }

    /** Severity colours: critical red, warning amber, info blue, unknown grey. */
    public static int colour(String severity) {
        if (severity == null) {
            return 0x757575;
        }
        return switch (severity.toLowerCase(java.util.Locale.ROOT)) {
            case "critical", "page", "emergency", "high", "error" -> 0xD32F2F;
            case "warning", "warn", "medium" -> 0xF9A825;
            case "info", "low", "notice" -> 0x1976D2;
            default -> 0x757575;
        };
    }
}
