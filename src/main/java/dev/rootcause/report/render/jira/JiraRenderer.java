package dev.rootcause.report.render.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.report.ReportOutline;
import dev.rootcause.report.TextCut;
import java.util.ArrayList;
import java.util.List;

/**
 * A report outline as a Jira issue: the summary, and the description written once against
 * {@link JiraBlocks} and rendered as wiki markup (Data Center, REST v2) or as an Atlassian Document Format
 * tree (Cloud, REST v3). Only formats: every word comes from the outline.
 */
public final class JiraRenderer {

    /**
     * Jira's default limit for a text field ({@code jira.text.field.character.limit}, 32,767); a longer
     * description is refused with a 400 on {@code description} (Cloud's REST v3 answers {@code CONTENT_LIMIT_EXCEEDED}
     * for a description over 32,767 characters: https://jira.atlassian.com/browse/JRACLOUD-78553). Comments are text
     * fields with the same limit.
     */
    public static final int MAX_CHARS = 32_767;
    /** Jira rejects a summary over 255 characters ("Summary can't exceed 255 characters."). */
    public static final int MAX_SUMMARY = 255;

    private JiraRenderer() {
    }

    /** The title as a summary: one line, at most {@link #MAX_SUMMARY} characters, never cut inside a surrogate pair. */
    public static String summary(String title) {
        return TextCut.cut(title.replace('\n', ' ').replace('\r', ' ').strip(), MAX_SUMMARY, "…");
    }

    /** Wiki markup for Jira Data Center (REST v2), at most {@link #MAX_CHARS} characters. */
    public static String wiki(ReportOutline o) {
        WikiBlocks out = new WikiBlocks();
        write(o, out);
        return out.text(MAX_CHARS);
    }

    /**
     * The whole wiki markup in consecutive parts of at most {@code max} characters (split at line breaks,
     * {@link dev.rootcause.report.TextCut#split}): the description, then what continues in comments.
     */
    public static List<String> wikiParts(ReportOutline o, String lead, int max) {
        WikiBlocks out = new WikiBlocks();
        write(o, out);
        return out.parts(lead, max);
    }

    /**
     * The whole ADF document in consecutive {@code doc}s whose JSON stays within {@code max} characters each, split
     * between blocks (a single block over the limit is cut with a note): the description, then comments.
     */
    public static List<JsonNode> adfParts(ReportOutline o, ObjectMapper json, int max) {
        AdfBlocks out = new AdfBlocks(json);
        write(o, out);
        return out.docs(max);
    }

    /** An ADF {@code doc} for Jira Cloud (REST v3) whose JSON stays within {@link #MAX_CHARS} characters. */
    public static JsonNode adf(ReportOutline o, ObjectMapper json) {
        AdfBlocks out = new AdfBlocks(json);
        write(o, out);
        return out.doc(MAX_CHARS);
    }

    static void write(ReportOutline o, JiraBlocks out) {
        out.paragraph(null, o.symptom());
        out.paragraph(o.headLabel(), o.headText());
        if (!o.details().isEmpty()) {
            out.bullets(o.details());
        }
        if (!o.group().isEmpty()) {
            out.bullets(o.group());
        }
        if (o.cause() != null && o.cause().note() != null) {
            out.paragraph(null, o.cause().note());
        }
        if (o.cause() != null && o.cause().basedOn() != null) {
            out.paragraph(null, o.cause().basedOn());
        }
        if (!o.weighed().isEmpty()) {
            out.paragraph(ReportOutline.WEIGHED + ":", "");
            out.bullets(o.weighed());
        }
        if (o.severityLine() != null) {
            out.paragraph(ReportOutline.SEVERITY, o.severity());
        }
        if (!o.partial().isEmpty()) {
            out.paragraph(ReportOutline.PARTIAL, ReportOutline.PARTIAL_WHY);
            out.bullets(o.partial());
        }
        if (o.about() != null || !o.labels().isEmpty() || o.readAs() != null || !o.title().isEmpty()) {
            out.heading(2, ReportOutline.ALERT);
            out.paragraph(ReportOutline.TITLE, o.title());
            if (o.about() != null) {
                o.about().lines().filter(l -> !l.isBlank()).forEach(l -> out.paragraph(null, l));
            }
            if (o.readAs() != null) {
                out.paragraph(ReportOutline.READ_AS, o.readAs());
            }
            if (!o.labels().isEmpty()) {
                out.paragraph(ReportOutline.LABELS + ":", String.join(", ", o.labelPairs()));
            }
        }
        if (!o.layers().isEmpty()) {
            out.heading(2, ReportOutline.LAYERS);
            out.table(List.of("layer", "checked", "showed"), o.layers().stream()
                    .map(l -> List.of(l.layer(), l.checked(), l.showed())).toList());
        }
        if (!o.findings().isEmpty()) {
            out.heading(2, ReportOutline.FINDINGS);
            out.table(List.of("verdict", "finding", "layer", "detail"), o.findings().stream()
                    .map(f -> List.of(f.verdict().wire(), f.name(), f.layer(), f.detail())).toList());
        }
        if (!o.evidence().isEmpty()) {
            out.heading(2, ReportOutline.EVIDENCE);
            o.evidence().forEach(e -> evidence(out, e));
        }
        if (!o.notChecked().isEmpty()) {
            out.heading(2, ReportOutline.NOT_CHECKED);
            out.bullets(o.notChecked().stream().map(ReportOutline.NotChecked::line).toList());
        }
        if (o.runbook() != null) {
            out.heading(2, ReportOutline.RUNBOOK);
            out.link(o.runbook(), o.runbook());
        }
        out.paragraph(null, o.footer());
    }

    private static void evidence(JiraBlocks out, ReportOutline.EvidenceItem e) {
        out.heading(3, e.heading());
        if (e.query() != null) {
            out.code(e.query());
        }
        List<String> lines = new ArrayList<>();
        if (e.window() != null) {
            lines.add(e.window());
        }
        lines.addAll(e.values());
        if (e.note() != null) {
            lines.add(e.note());
        }
        if (!lines.isEmpty()) {
            out.bullets(lines);
        }
        if (e.link() != null) {
            out.link(e.linkText(), e.link());
        }
    }
}
