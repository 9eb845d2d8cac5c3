package dev.rootcause.report;

import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.rule.CauseTemplate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides what a report says: every wording choice (the headline, why no root cause was determined,
 * confidence notes, number and time formats, what a step that did not answer is called) is made here
 * once, so Markdown, GitHub, Jira and Discord cannot disagree. Texts are single lines (line breaks in
 * rule or source texts become spaces), except the runbook and the alert's description.
 */
public final class ReportOutliner {

    private ReportOutliner() {
    }

    /** The outline of a stored or fresh report about an incident. */
    public static ReportOutline outline(Report report) {
        return outline(report.title(), report.severity(), report.incidentId(), report.diagnosis());
    }

    /**
     * The outline of a diagnosis.
     *
     * @param severity   the incident's severity, or null
     * @param incidentId the incident, or null for an on-demand diagnosis
     */
    public static ReportOutline outline(String title, String severity, Long incidentId, Diagnosis d) {
        RootCause rc = d.rootCause();
        ReportOutline.Cause cause = rc == null ? null : cause(d, rc);
        Set<String> cited = cited(d);
        List<ReportOutline.EvidenceItem> evidence = d.evidence().stream().map(e -> evidence(e, cited.contains(e.step()))).toList();
        List<ReportOutline.NotChecked> notChecked = d.evidence().stream().filter(e -> !e.ok())
                .map(e -> new ReportOutline.NotChecked(e.step(), e.status().wire(), e.reason() == null ? null : oneLine(e.reason())))
                .toList();
        String about = d.alert().annotations().getOrDefault("description", d.alert().annotations().get("summary"));
        return new ReportOutline(oneLine(title), severity, incidentId, cause != null ? cause.label() : "Root cause:",
                cause != null ? cause.summary() : notDetermined(d), cause, lines(concat(d.rankingNotes(), d.notRun())),
                lines(d.partial()), about == null || about.isBlank() ? null : about.strip(), new TreeMap<>(d.alert().labels()),
                d.layers().stream().map(ReportOutliner::layer).toList(),
                d.findings().stream().map(f -> new ReportOutline.FindingLine(f.verdict(), f.name(), f.layer().wire(), detail(f))).toList(),
                evidence, notChecked, d.runbook(), footer(incidentId, d.rules()),
                d.alert().reading() == AlertReading.NOTHING ? null : oneLine(d.alert().reading().summary()));
    }

    /**
     * The root cause in one line as chat commands show it from an incident's stored fields:
     * {@code Root cause (confidence: medium): …}, or {@code Root cause: not determined}.
     */
    public static String rootCauseLine(String summary, String confidence) {
        return summary == null ? "Root cause: not determined" : label(confidence) + " " + oneLine(summary);
    }

    private static String label(String confidence) {
        return "Root cause (confidence: " + confidence + "):";
    }

    /**
     * A layer's row: the checks by their titles, each with what it showed ("TCP retransmissions rose on the node:
     * ruled out"); a report stored before checks were kept names its findings instead.
     */
    private static ReportOutline.Layer layer(Diagnosis.LayerVerdict l) {
        String checked = l.checks().isEmpty() ? String.join(", ", l.checked())
                : String.join("; ", l.checks().stream().map(Diagnosis.Check::line).toList());
        return new ReportOutline.Layer(l.layer().wire(), oneLine(checked), oneLine(l.showed()));
    }

    private static ReportOutline.Cause cause(Diagnosis d, RootCause rc) {
        List<String> cites = d.findings().stream().filter(f -> f.rule().equals(rc.rule()) && f.id().equals(rc.finding()))
                .findFirst().map(Finding::cites).orElse(List.of());
        return new ReportOutline.Cause(label(rc.confidence().wire()), oneLine(rc.summary()), rc.confidence().wire(), rc.rule() + "/" + rc.finding(),
                rc.note() == null ? null : "Confidence " + oneLine(rc.note()),
                cites.isEmpty() ? null : "Based on: " + String.join(", ", cites));
    }

    /** Why there is no root cause, as specific as the diagnosis allows. */
    private static String notDetermined(Diagnosis d) {
        if (d.rules().isEmpty() && !d.partial().isEmpty()) {
            return "not determined: the diagnosis could not run (see below).";
        }
        if (d.rules().isEmpty() && !d.notRun().isEmpty()) {
            // "not run: cpu-throttling needs a service; the alert names none"
            return "not determined: " + oneLine(String.join("; ", d.notRun())) + ".";
        }
        if (d.rules().isEmpty()) {
            return d.alert().reading().symptoms().isEmpty()
                    ? "not determined: no symptom could be read from this alert, and no rule's match: selects it."
                    : "not determined: no rule explains " + String.join(", ", d.alert().reading().symptomList().stream()
                            .map(Object::toString).toList()) + " for this alert.";
        }
        if (d.findings().stream().anyMatch(f -> f.verdict() == Verdict.SUPPORTS)) {
            return "not determined: what the evidence supports began too long before the symptom to be blamed (see below).";
        }
        String rules = String.join(", ", d.rules());
        if (!d.partial().isEmpty()) {
            // nothing supported may be only because the sources that would have shown it did not answer
            return "not determined: no finding of " + rules + " is supported by the evidence that could be gathered;"
                    + " some sources did not answer (see below).";
        }
        return "not determined: no finding of " + rules + " is supported by the evidence.";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Set<String> cited(Diagnosis d) {
        Set<String> cited = new LinkedHashSet<>();
        RootCause rc = d.rootCause();
        if (rc != null) {
            d.findings().stream().filter(f -> f.verdict() == Verdict.SUPPORTS && f.rule().equals(rc.rule())
                    && f.id().equals(rc.finding())).forEach(f -> cited.addAll(f.cites()));
        }
        return cited;
    }

    private static ReportOutline.EvidenceItem evidence(Evidence e, boolean cited) {
        // PromQL only for Prometheus-backed steps; LogQL, Redis INFO, trace and change lookups are plain
        boolean promql = e.type() != null && (e.type().startsWith("metrics.") || e.type().startsWith("network."));
        String window = e.windowStart() == null ? null : "Window: " + e.windowStart().truncatedTo(ChronoUnit.SECONDS) + " → "
                + (e.windowEnd() == null ? "now" : e.windowEnd().truncatedTo(ChronoUnit.SECONDS));
        List<String> values = new ArrayList<>();
        e.values().forEach((k, v) -> values.add(k + " = " + oneLine(CauseTemplate.format(v, null))));
        return new ReportOutline.EvidenceItem(e.step(), e.step() + " — " + e.kind() + ", " + e.status().wire(), e.ok(), cited,
                e.query(), promql, window, values, e.reason() == null ? null : "Note: " + oneLine(e.reason()),
                e.link() == null ? null : "Open in " + e.source(), e.link());
    }

    private static String detail(Finding f) {
        return oneLine(switch (f.verdict()) {
            case SUPPORTS -> f.cause();
            case NO_DATA -> "no data: " + f.reason();
            case RULES_OUT -> f.reason();
        });
    }

    private static String footer(Long incidentId, List<String> rules) {
        return "Diagnosed by rootcause " + (incidentId == null ? "on demand" : "for incident #" + incidentId)
                + " · " + (rules.isEmpty() ? "no rule matched" : "rules: " + String.join(", ", rules));
    }

    private static List<String> lines(List<String> texts) {
        return texts.stream().map(ReportOutliner::oneLine).toList();
    }

    /** Line breaks become spaces: every outline text but the runbook and the alert's description is one line. */
    static String oneLine(String text) {
        return text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
    }
}
