package dev.rootcause.report.render;

import dev.rootcause.report.ReportOutline;
import java.util.List;

/**
 * A report outline as GitHub-flavoured Markdown: the stored report, the API's {@code /diagnose} answer,
 * the console chat and (cut to its limit by {@link GitHubRenderer}) GitHub issues. Only formats: every
 * word comes from the outline.
 */
public final class MarkdownRenderer {

    private MarkdownRenderer() {
    }

    /** The whole report, unlimited. */
    public static String render(ReportOutline o) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(o.symptom()).append("\n\n");
        md.append("**").append(o.headLabel()).append("** ").append(o.headText()).append('\n');
        if (!o.details().isEmpty()) {
            md.append('\n');
            bullets(md, o.details());
        }
        if (!o.group().isEmpty()) {
            md.append('\n');
            bullets(md, o.group());
        }
        if (o.cause() != null && o.cause().note() != null) {
            md.append("\n> ").append(o.cause().note()).append('\n');
        }
        if (o.cause() != null && o.cause().basedOn() != null) {
            md.append('\n').append(o.cause().basedOn()).append('\n');
        }
        if (!o.weighed().isEmpty()) {
            md.append("\n**").append(ReportOutline.WEIGHED).append(":**\n");
            bullets(md, o.weighed());
        }
        if (o.severityLine() != null) {
            md.append("\n**").append(ReportOutline.SEVERITY).append("** ").append(o.severity()).append('\n');
        }
        if (!o.partial().isEmpty()) {
            md.append("\n**").append(ReportOutline.PARTIAL).append("** ").append(ReportOutline.PARTIAL_WHY).append('\n');
            bullets(md, o.partial());
        }
        if (o.about() != null || !o.labels().isEmpty() || o.readAs() != null || !o.title().isEmpty()) {
            md.append("\n## ").append(ReportOutline.ALERT).append("\n\n");
            md.append("**").append(ReportOutline.TITLE).append("** ").append(o.title()).append("\n\n");
            if (o.about() != null) {
                md.append(o.about()).append("\n\n");
            }
            if (o.readAs() != null) {
                md.append("**").append(ReportOutline.READ_AS).append("** ").append(o.readAs()).append("\n\n");
            }
            if (!o.labels().isEmpty()) {
                md.append(ReportOutline.LABELS).append(": ")
                        .append(String.join(", ", o.labelPairs().stream().map(p -> "`" + p.replace("`", "'") + "`").toList())).append('\n');
            }
        }
        if (!o.layers().isEmpty()) {
            md.append("\n## ").append(ReportOutline.LAYERS).append("\n\n| layer | checked | showed |\n|---|---|---|\n");
            o.layers().forEach(l -> md.append("| ").append(l.layer()).append(" | ").append(cell(l.checked())).append(" | ")
                    .append(cell(l.showed())).append(" |\n"));
        }
        if (!o.findings().isEmpty()) {
            md.append("\n## ").append(ReportOutline.FINDINGS).append("\n\n| verdict | finding | layer | detail |\n|---|---|---|---|\n");
            o.findings().forEach(f -> md.append("| ").append(f.verdict()).append(" | ").append(f.name()).append(" | ")
                    .append(f.layer()).append(" | ").append(cell(f.detail())).append(" |\n"));
        }
        if (!o.evidence().isEmpty()) {
            md.append("\n## ").append(ReportOutline.EVIDENCE).append('\n');
            o.evidence().forEach(e -> evidence(md, e));
        }
        if (!o.notChecked().isEmpty()) {
            md.append("\n## ").append(ReportOutline.NOT_CHECKED).append("\n\n");
            bullets(md, o.notChecked().stream().map(ReportOutline.NotChecked::line).toList());
        }
        if (o.runbook() != null) {
            md.append("\n## ").append(ReportOutline.RUNBOOK).append("\n\n").append(o.runbook()).append('\n');
        }
        md.append("\n---\n").append(o.footer()).append('\n');
        return md.toString();
    }

    private static void evidence(StringBuilder md, ReportOutline.EvidenceItem e) {
        md.append("\n### ").append(e.heading()).append('\n');
        if (e.query() != null) {
            md.append(e.promql() ? "\n```promql\n" : "\n```\n").append(e.query()).append("\n```\n");
        }
        if (e.window() != null) {
            md.append('\n').append(e.window()).append('\n');
        }
        if (!e.values().isEmpty()) {
            md.append('\n').append(e.valuesLine()).append('\n');
        }
        if (e.note() != null) {
            md.append('\n').append(e.note()).append('\n');
        }
        if (e.link() != null) {
            md.append("\n[").append(e.linkText()).append("](").append(e.link()).append(")\n");
        }
    }

    private static void bullets(StringBuilder md, List<String> items) {
        items.forEach(i -> md.append("- ").append(i).append('\n'));
    }

    /** A table cell: a pipe would end it. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
