package dev.rootcause.report;

import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.rule.CauseTemplate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Renders a diagnosis as Markdown: title, root cause and confidence, why it was preferred over the other
 * supported causes ({@link Diagnosis#rankingNotes()}), what is partial, findings,
 * evidence with queries, windows, values and links, what could not be checked and why, runbook.
 */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    public static String render(String title, Diagnosis d) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(oneLine(title)).append("\n\n");
        RootCause rc = d.rootCause();
        if (rc != null) {
            md.append("**Root cause** (confidence: ").append(rc.confidence()).append("): ").append(rc.summary()).append("\n");
            if (rc.note() != null) {
                md.append("\n> Confidence ").append(rc.note()).append('\n');
            }
        } else if (d.rules().isEmpty() && !d.partial().isEmpty()) {
            md.append("**Root cause:** not determined: the diagnosis could not run (see below).\n");
        } else if (d.rules().isEmpty()) {
            md.append("**Root cause:** not determined: no rule matches this alert's labels.\n");
        } else if (d.findings().stream().anyMatch(f -> Finding.SUPPORTS.equals(f.verdict()))) {
            md.append("**Root cause:** not determined: what the evidence supports began too long before the symptom"
                    + " to be blamed (see below).\n");
        } else {
            md.append("**Root cause:** not determined: no finding of ").append(String.join(", ", d.rules()))
                    .append(" is supported by the evidence.\n");
        }
        if (!d.rankingNotes().isEmpty()) {
            md.append("\n**Weighed against the other causes:**\n");
            d.rankingNotes().forEach(n -> md.append("- ").append(oneLine(n)).append('\n'));
        }
        if (!d.partial().isEmpty()) {
            md.append("\n**Partial report** — sources that could not answer:\n");
            d.partial().forEach(p -> md.append("- ").append(oneLine(p)).append('\n'));
        }
        if (!d.layers().isEmpty()) {
            md.append("\n## Layered verdict\n\n| layer | checked | showed |\n|---|---|---|\n");
            for (Diagnosis.LayerVerdict l : d.layers()) {
                md.append("| ").append(l.layer()).append(" | ").append(cell(String.join(", ", l.checked())))
                        .append(" | ").append(cell(l.showed())).append(" |\n");
            }
        }
        if (!d.findings().isEmpty()) {
            md.append("\n## Findings\n\n| verdict | finding | layer | detail |\n|---|---|---|---|\n");
            for (Finding f : d.findings()) {
                String detail = switch (f.verdict()) {
                    case Finding.SUPPORTS -> f.cause();
                    case Finding.NO_DATA -> "no data: " + f.reason();
                    default -> f.reason();
                };
                md.append("| ").append(f.verdict()).append(" | ").append(f.rule()).append('/').append(f.id())
                        .append(" | ").append(f.layer()).append(" | ").append(cell(detail)).append(" |\n");
            }
        }
        if (!d.evidence().isEmpty()) {
            md.append("\n## Evidence\n");
            for (Evidence e : d.evidence()) {
                md.append("\n### ").append(e.step()).append(" — ").append(e.kind()).append(", ").append(e.status().wire()).append('\n');
                if (e.query() != null) {
                    // PromQL only for Prometheus-backed steps; LogQL, Redis INFO, trace and change lookups fence plain
                    boolean promql = e.type() != null && (e.type().startsWith("metrics.") || e.type().startsWith("network."));
                    md.append(promql ? "\n```promql\n" : "\n```\n").append(e.query()).append("\n```\n");
                }
                if (e.windowStart() != null) {
                    md.append("\nWindow: ").append(e.windowStart().truncatedTo(ChronoUnit.SECONDS)).append(" → ")
                            .append(e.windowEnd().truncatedTo(ChronoUnit.SECONDS)).append('\n');
                }
                if (!e.values().isEmpty()) {
                    md.append('\n').append(values(e.values())).append('\n');
                }
                if (e.reason() != null) {
                    md.append("\nNote: ").append(oneLine(e.reason())).append('\n');
                }
                if (e.link() != null) {
                    md.append("\n[Open in ").append(e.source()).append("](").append(e.link()).append(")\n");
                }
            }
        }
        List<Evidence> unchecked = d.evidence().stream().filter(e -> !e.ok()).toList();
        if (!unchecked.isEmpty()) {
            md.append("\n## Not checked\n\n");
            unchecked.forEach(e -> md.append("- ").append(e.step()).append(": ").append(e.status().wire())
                    .append(e.reason() == null ? "" : " — " + oneLine(e.reason())).append('\n'));
        }
        if (d.runbook() != null) {
            md.append("\n## Runbook\n\n").append(d.runbook()).append('\n');
        }
        return md.toString();
    }

    private static String values(Map<String, Object> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(out.length() == 0 ? "" : " · ").append(k).append(" = ")
                .append(CauseTemplate.format(v, null)));
        return out.toString();
    }

    private static String cell(String text) {
        return oneLine(text).replace("|", "\\|");
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
    }
}
