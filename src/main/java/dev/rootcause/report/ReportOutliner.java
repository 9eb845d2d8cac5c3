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
        String label = cause != null ? cause.label() : "Root cause:";
        String head = cause != null ? cause.summary() : notDetermined(d);
        // the root-cause line stays within LINE_LIMIT: a long cause or a long list of facts is shortened at a clause
        // and said in full right below it (with Prometheus down the facts ran to ~600 characters)
        String shortHead = shorten(head, ReportOutline.LINE_LIMIT - label.length() - 1);
        List<String> details = shortHead.equals(head) ? List.of() : cause != null ? List.of("In full: " + head)
                : established(d);
        return new ReportOutline(TextCut.cut(oneLine(title), TITLE_SHOWN), severity, incidentId, label,
                shortHead, cause, lines(concat(d.rankingNotes(), d.notRun())),
                lines(d.partial()), about == null || about.isBlank() ? null : TextCut.cut(about.strip(), ABOUT_SHOWN), shown(d.alert().labels()),
                d.layers().stream().map(ReportOutliner::layer).toList(),
                d.findings().stream().map(f -> new ReportOutline.FindingLine(f.verdict(), f.name(), f.layer().wire(), detail(f))).toList(),
                evidence, notChecked, d.runbook(), footer(incidentId, d.rules()),
                d.alert().reading() == AlertReading.NOTHING ? null : oneLine(d.alert().reading().summary()),
                TextCut.cut(oneLine(Headline.symptom(d)), ReportOutline.LINE_LIMIT, "…"), lines(Headline.group(d.alert().group())),
                lines(details));
    }

    /**
     * Most characters of one label value, the title and the alert's description as a report, page or log shows them:
     * a sender may put a megabyte in a label (nothing in Alertmanager limits it), which would bury the report. The
     * alert is stored and served by the API in full; only what people read is cut, saying how much
     * ({@link TextCut#cut(String, int)}: {@code … [cut 1,048,320 characters]}).
     */
    static final int LABEL_SHOWN = 256;
    static final int TITLE_SHOWN = 1024;
    static final int ABOUT_SHOWN = 4096;

    private static TreeMap<String, String> shown(java.util.Map<String, String> labels) {
        TreeMap<String, String> out = new TreeMap<>();
        labels.forEach((k, v) -> out.put(TextCut.cut(k, LABEL_SHOWN), TextCut.cut(v, LABEL_SHOWN)));
        return out;
    }

    /** Marks a root-cause line shortened to fit: what follows it says the rest. */
    static final String SHORTENED = " … (in full below)";

    /**
     * The text within {@code max} characters: cut after its last whole clause ({@code "; "} or sentence) that fits, else
     * at a word, ending with {@link #SHORTENED}; the text itself when it fits.
     */
    static String shorten(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int room = max - SHORTENED.length();
        int cut = Math.max(text.lastIndexOf("; ", room), text.lastIndexOf(". ", room - 1) + 1);
        if (cut < room / 3) {
            cut = text.lastIndexOf(' ', room);
        }
        return TextCut.cut(text, cut <= 0 ? room : cut, "").stripTrailing() + SHORTENED;
    }

    /** The facts of a cause not determined, one per line: what was established, then what was not checked. */
    private static List<String> established(Diagnosis d) {
        return Headline.established(d).stream().map(f -> Character.toUpperCase(f.charAt(0)) + f.substring(1)).toList();
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
        List<Evidence> cited = d.evidence().stream().filter(e -> cites.contains(e.step()) && e.ok()).toList();
        // the kinds the confidence was weighed on (a walk's agreeing kinds, findings naming the same cause); a report
        // stored before they were kept names the kinds of its cited steps
        Set<String> kinds = new LinkedHashSet<>(rc.kinds().isEmpty() ? cited.stream().map(Evidence::kind).toList() : rc.kinds());
        String label = "Root cause (confidence: " + rc.confidence().wire() + (kinds.isEmpty() ? "" : "; " + String.join(" + ", kinds)
                + " evidence") + "):";
        List<String> based = cites.stream().map(step -> cited.stream().filter(e -> e.step().equals(step)).findFirst()
                .map(e -> step + " (" + e.kind() + (e.windowStart() == null ? "" : ", " + Headline.window(e, d.alert().now())) + ")")
                .orElse(step)).toList();
        return new ReportOutline.Cause(label, oneLine(rc.summary()), rc.confidence().wire(), rc.rule() + "/" + rc.finding(),
                rc.note() == null || rc.note().isBlank() ? null : "Confidence " + oneLine(rc.note()),
                cites.isEmpty() ? null : "Based on: " + String.join(", ", based));
    }

    /**
     * Why there is no root cause, in plain words: what was established (no change in the lookback, flat metrics,
     * passing probes) and what could not be checked; never rule ids. The rules that ran are in the footer.
     */
    private static String notDetermined(Diagnosis d) {
        var monitoring = dev.rootcause.diagnosis.SenderAlerts.monitoringFailure(d.alert());
        if (monitoring.isPresent()) {
            return "not diagnosed: this alert is about the monitoring, not the service. " + oneLine(monitoring.get()) + ".";
        }
        if (dev.rootcause.diagnosis.SenderAlerts.grafanaTest(d.alert())) {
            return "none: this is Grafana's test notification, received; the contact point reaches rootcause. Nothing to diagnose.";
        }
        if (d.rules().isEmpty() && !d.partial().isEmpty()) {
            return "not determined: the diagnosis could not run (see below).";
        }
        if (d.rules().isEmpty() && !d.notRun().isEmpty()) {
            // "not run: cpu-throttling needs a service; the alert names none"
            Set<String> kinds = new java.util.TreeSet<>();
            d.notRun().forEach(n -> {
                var m = java.util.regex.Pattern.compile("needs an? ([a-z]+)").matcher(n);
                if (m.find()) {
                    kinds.add(m.group(1));
                }
            });
            return "not determined: the rules for " + symptoms(d) + " need a " + (kinds.isEmpty() ? "target" : String.join(" or ", kinds))
                    + ", and the alert names none.";
        }
        if (d.rules().isEmpty()) {
            return d.alert().reading().symptoms().isEmpty()
                    ? "not determined: no symptom could be read from this alert, and no rule's match: selects it."
                    : "not determined: no rule explains " + symptoms(d) + " for this alert.";
        }
        if (d.findings().stream().anyMatch(f -> f.verdict() == Verdict.SUPPORTS)) {
            return "not determined: what the evidence supports began too long before the symptom to be blamed (see below).";
        }
        List<String> established = Headline.established(d);
        String joined = String.join("; ", established);
        String facts = established.isEmpty() ? "" : " " + Character.toUpperCase(joined.charAt(0)) + joined.substring(1) + ".";
        if (!d.partial().isEmpty()) {
            // nothing supported may be only because the sources that would have shown it did not answer
            return "not determined, and some sources did not answer (see below)." + facts;
        }
        return "not determined." + (facts.isEmpty() ? " No check found a cause." : facts);
    }

    private static String symptoms(Diagnosis d) {
        List<String> names = d.alert().reading().symptomList().stream().map(Object::toString).toList();
        return names.isEmpty() ? "this alert" : String.join(", ", names);
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
        // an empty text value (a placeholder: time of a change not found) says nothing; numbers and n/a stay
        e.values().forEach((k, v) -> {
            if (!(v instanceof String text && text.isBlank())) {
                values.add(k + " = " + oneLine(CauseTemplate.format(v, null)));
            }
        });
        return new ReportOutline.EvidenceItem(e.step(), e.step() + " — " + e.kind() + ", " + e.status().wire(), e.ok(), cited,
                e.query(), promql, window, values, e.reason() == null ? null : "Note: " + oneLine(e.reason()),
                e.link() == null ? null : "Open in " + e.source(), e.link());
    }

    private static String detail(Finding f) {
        return oneLine(switch (f.verdict()) {
            case SUPPORTS -> f.cause();
            case NO_DATA -> "no data: " + f.reason();
            case RULES_OUT -> notMet(f.reason());
        });
    }

    /** The values a condition read, marking where its CEL began; the CEL itself stays in the API's finding. */
    private static final java.util.regex.Pattern READINGS = java.util.regex.Pattern.compile(" \\((?=[A-Za-z_]\\w*\\.[A-Za-z_]\\w* = )");

    /**
     * {@code condition not met: steps.errors.after > 0.01 (errors.after = 0.002, time = )} → {@code not met (errors.after
     * = 0.002)}: the readings without the CEL and without empty values; a reason of another shape is kept.
     */
    static String notMet(String reason) {
        if (reason == null || !reason.startsWith("condition not met")) {
            return reason;
        }
        var m = READINGS.matcher(reason);
        if (!m.find()) {
            return "not met";
        }
        String rest = reason.substring(m.end(), reason.length() - (reason.endsWith(")") ? 1 : 0));
        String missing = null;
        int cut = rest.indexOf("; missing: ");
        if (cut >= 0) {
            missing = rest.substring(cut + 2);
            rest = rest.substring(0, cut);
        }
        List<String> kept = java.util.Arrays.stream(rest.split(", (?=[A-Za-z_]\\w*\\.[A-Za-z_]\\w* = )"))
                .filter(r -> !r.strip().endsWith("=")).toList();
        return "not met (" + String.join(", ", kept) + ")" + (missing == null ? "" : "; " + missing);
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
