package dev.rootcause.ticket.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.report.Report;
import dev.rootcause.rule.CauseTemplate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * An issue description from a {@link Report}: root cause, partial sources, layered verdict, findings,
 * evidence (query, window, values, link), what was not checked, runbook. Written once against
 * {@link Blocks} and rendered as wiki markup (Data Center, REST v2) or as an Atlassian Document Format
 * tree (Cloud, REST v3).
 */
final class JiraDescription {

    /**
     * Jira's default limit for a text field ({@code jira.text.field.character.limit}, 32,767); a longer
     * description is refused with a 400 on {@code description}.
     */
    static final int MAX_CHARS = 32_767;

    private JiraDescription() {
    }

    /** The block structure both formats share. Texts are plain; each writer escapes for its format. */
    interface Blocks {
        void heading(int level, String text);

        /** A paragraph, with an optional bold lead-in (null for none). */
        void paragraph(String bold, String text);

        void bullets(List<String> items);

        void table(List<String> header, List<List<String>> rows);

        void code(String text);

        void link(String text, String url);
    }

    /** Wiki markup for Jira Data Center (REST v2), at most {@link #MAX_CHARS} characters. */
    static String wiki(Report report) {
        WikiBlocks out = new WikiBlocks();
        write(report, out);
        return out.text(MAX_CHARS);
    }

    /** An ADF {@code doc} for Jira Cloud (REST v3) whose JSON stays within {@link #MAX_CHARS} characters. */
    static JsonNode adf(Report report, ObjectMapper json) {
        AdfBlocks out = new AdfBlocks(json);
        write(report, out);
        return out.doc(MAX_CHARS);
    }

    static void write(Report report, Blocks out) {
        Diagnosis d = report.diagnosis();
        RootCause rc = d.rootCause();
        if (rc != null) {
            out.paragraph("Root cause (confidence: " + rc.confidence() + "):", rc.summary());
            if (rc.note() != null) {
                out.paragraph(null, "Confidence " + rc.note());
            }
        } else if (d.rules().isEmpty() && !d.partial().isEmpty()) {
            out.paragraph("Root cause:", "not determined: the diagnosis could not run (see below).");
        } else if (d.rules().isEmpty()) {
            out.paragraph("Root cause:", "not determined: no rule matches this alert's labels.");
        } else if (d.findings().stream().anyMatch(f -> Finding.SUPPORTS.equals(f.verdict()))) {
            out.paragraph("Root cause:", "not determined: what the evidence supports began too long before the symptom"
                    + " to be blamed (see below).");
        } else {
            out.paragraph("Root cause:", "not determined: no finding of " + String.join(", ", d.rules())
                    + " is supported by the evidence.");
        }
        if (!d.rankingNotes().isEmpty()) {
            out.paragraph("Weighed against the other causes", "— why this one and not the others:");
            out.bullets(d.rankingNotes());
        }
        out.paragraph("Severity:", report.severity() == null ? "none" : report.severity());
        if (!d.partial().isEmpty()) {
            out.paragraph("Partial report", "— sources that could not answer:");
            out.bullets(d.partial());
        }
        if (!d.layers().isEmpty()) {
            out.heading(2, "Layered verdict");
            out.table(List.of("layer", "checked", "showed"), d.layers().stream()
                    .map(l -> List.of(l.layer(), String.join(", ", l.checked()), l.showed())).toList());
        }
        if (!d.findings().isEmpty()) {
            out.heading(2, "Findings");
            out.table(List.of("verdict", "finding", "layer", "detail"), d.findings().stream().map(f -> List.of(f.verdict(),
                    f.rule() + "/" + f.id(), f.layer(), detail(f))).toList());
        }
        if (!d.evidence().isEmpty()) {
            out.heading(2, "Evidence");
            for (Evidence e : d.evidence()) {
                out.heading(3, e.step() + " — " + e.kind() + ", " + e.status().wire());
                if (e.query() != null) {
                    out.code(e.query());
                }
                List<String> lines = new ArrayList<>();
                if (e.windowStart() != null) {
                    lines.add("Window: " + e.windowStart().truncatedTo(ChronoUnit.SECONDS) + " → "
                            + e.windowEnd().truncatedTo(ChronoUnit.SECONDS));
                }
                e.values().forEach((k, v) -> lines.add(k + " = " + CauseTemplate.format(v, null)));
                if (e.reason() != null) {
                    lines.add("Note: " + e.reason());
                }
                if (!lines.isEmpty()) {
                    out.bullets(lines);
                }
                if (e.link() != null) {
                    out.link("Open in " + e.source(), e.link());
                }
            }
        }
        List<Evidence> unchecked = d.evidence().stream().filter(e -> !e.ok()).toList();
        if (!unchecked.isEmpty()) {
            out.heading(2, "Not checked");
            out.bullets(unchecked.stream().map(e -> e.step() + ": " + e.status().wire()
                    + (e.reason() == null ? "" : " — " + e.reason())).toList());
        }
        if (d.runbook() != null) {
            out.heading(2, "Runbook");
            out.link(d.runbook(), d.runbook());
        }
        out.paragraph(null, "Opened by rootcause for incident " + report.incidentId() + ".");
    }

    private static String detail(Finding f) {
        return switch (f.verdict()) {
            case Finding.SUPPORTS -> f.cause();
            case Finding.NO_DATA -> "no data: " + f.reason();
            default -> f.reason();
        };
    }
}
