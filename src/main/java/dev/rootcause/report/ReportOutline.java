package dev.rootcause.report;

import dev.rootcause.diagnosis.Verdict;
import java.util.List;
import java.util.Map;

/**
 * What a report says, decided once by {@link ReportOutliner}; every renderer ({@code report.render..})
 * only formats it. All texts are plain, one idea each, with their final wording: renderers add markup,
 * escape, and cut to their target's limits, but never reword.
 *
 * @param title      the incident's title (or the on-demand diagnosis's), unlimited
 * @param severity   the incident's severity, or null when the alert had none (on demand)
 * @param incidentId the incident, or null for an on-demand diagnosis
 * @param headLabel  the headline's lead-in: {@code Root cause (confidence: medium):} or {@code Root cause:}
 * @param headText   the cause's summary, or why none was determined ({@code not determined: no rule explains latency for this alert.})
 * @param cause      the root cause and what it rests on, or null when none was determined
 * @param weighed    why the root cause was preferred over the other supported causes, and which were not blamed;
 *                   then which rules did not run for want of a target ({@code not run: …})
 * @param partial    one line per source that could not answer, with why; empty when every step ran
 * @param about      the alert's own description (annotation {@code description}, else {@code summary}), or null
 * @param labels     the alert group's labels, sorted by name
 * @param layers     the layered verdict, network → dependency, only layers some rule looked at
 * @param findings   every finding's verdict, the root cause's first
 * @param evidence   every step's evidence in the order the rules ran
 * @param notChecked the steps that did not answer (error, timeout, skipped) and why
 * @param runbook    the runbook URL or text, or null
 * @param footer     who produced the report for what, e.g. {@code Diagnosed by rootcause for incident #12 · rules: cache-hit-rate}
 * @param readAs     how the alert was read ({@code AlertReading.summary()}: symptoms with why, target with where
 *                   found), shown after {@link #READ_AS}; null when it was not read
 * @param symptom    line 1 of every format: the symptom with a number and its window, onset and scope
 *                   ({@code checkout errors: errors 0.1% → 12% (mean before vs after, 08:32–09:32 UTC) · since 09:02 UTC,
 *                   for 14 min · 2 alerts on 2 pods}); never a rule id, CEL or an empty value
 * @param group      right after the headline: the group's size and what the sender left out, the labels that vary
 *                   (first 5 values and "and N more"), the sender's clock skew; empty for a lone alert
 * @param details    what did not fit in the root-cause line ({@link #LINE_LIMIT}), in full, right below it: the cause's
 *                   whole summary, or each fact established when no cause was; empty when the line holds it all
 */
public record ReportOutline(String title, String severity, Long incidentId, String headLabel, String headText, Cause cause,
        List<String> weighed, List<String> partial, String about, Map<String, String> labels, List<Layer> layers,
        List<FindingLine> findings, List<EvidenceItem> evidence, List<NotChecked> notChecked, String runbook,
        String footer, String readAs, String symptom, List<String> group, List<String> details) {

    /**
     * The most characters of line 1 (the symptom) and of the root-cause line ({@link #headline()}): Discord's embed title
     * limit, 256 (Discord API reference, "Embed Limits"), the tightest place line 1 goes (Jira's summary takes 255 and
     * is cut by its adapter). A line an engineer reads in ten seconds on a phone; the rest goes below it
     * ({@link #details}).
     */
    public static final int LINE_LIMIT = 256;

    /** Section names, the same in every format. */
    public static final String WEIGHED = "Weighed against the other causes";
    public static final String PARTIAL = "Partial report";
    public static final String PARTIAL_WHY = "— sources that could not answer:";
    public static final String ALERT = "Alert";
    public static final String LAYERS = "Layered verdict";
    public static final String FINDINGS = "Findings";
    public static final String RULED_OUT = "Ruled out";
    public static final String EVIDENCE = "Evidence";
    public static final String NOT_CHECKED = "Not checked";
    public static final String RUNBOOK = "Runbook";
    public static final String SEVERITY = "Severity:";
    public static final String LABELS = "Labels";
    /** Lead-in of the alert's own title in the alert section (line 1 is the symptom). */
    public static final String TITLE = "Alert title:";
    /** Lead-in of the line saying how the alert was read. */
    public static final String READ_AS = "Read as:";
    /** What evidence without values or a note shows. */
    public static final String NO_VALUES = "no values";

    public ReportOutline {
        group = group == null ? List.of() : List.copyOf(group);
        weighed = List.copyOf(weighed);
        partial = List.copyOf(partial);
        labels = Map.copyOf(labels);
        layers = List.copyOf(layers);
        findings = List.copyOf(findings);
        evidence = List.copyOf(evidence);
        notChecked = List.copyOf(notChecked);
    }

    /**
     * The root cause.
     *
     * @param label      the headline's lead-in, e.g. {@code Root cause (confidence: medium):}
     * @param summary    the cause with the evidence's numbers filled in
     * @param confidence {@code high}, {@code medium} or {@code low}
     * @param finding    {@code rule/finding}
     * @param note       why the confidence is lower than declared, as a sentence ({@code Confidence lowered from …}), or null
     * @param basedOn    the evidence it rests on, each with its kind and the window its numbers are over
     *                   ({@code Based on: errors (metric, 08:32–09:32 UTC), deploy (change, 07:02–09:02 UTC)}), or null when it
     *                   cites none
     */
    public record Cause(String label, String summary, String confidence, String finding, String note, String basedOn) {
    }

    /** One row of the layered verdict: what was checked in the layer and what it showed. */
    public record Layer(String layer, String checked, String showed) {
    }

    /**
     * One finding's verdict.
     *
     * @param verdict the finding's verdict (its wire value, as in the API, when rendered)
     * @param name    {@code rule/finding}
     * @param detail  the cause (supports); for rules_out {@code not met (errors.after = 0.2%, …)}: the values the
     *                condition read, without its CEL (in the API) and without empty values; {@code no data: …} (no_data)
     */
    public record FindingLine(Verdict verdict, String name, String layer, String detail) {

        /** {@code rule/finding — why}, one line. */
        public String line() {
            return name + " — " + detail;
        }
    }

    /**
     * One step's evidence.
     *
     * @param heading  {@code step — kind, status}
     * @param query    the query as sent, or null
     * @param promql   true when the query is PromQL (Prometheus-backed steps), for syntax highlighting
     * @param window   {@code Window: <start> → <end>} to the second, or null
     * @param values   one entry per value, {@code name = formatted}
     * @param note     {@code Note: …} (why it failed, what it saw), or null
     * @param linkText {@code Open in <source>}, or null without a link
     * @param cited    the root cause rests on it
     */
    public record EvidenceItem(String step, String heading, boolean ok, boolean cited, String query, boolean promql,
            String window, List<String> values, String note, String linkText, String link) {

        public EvidenceItem {
            values = List.copyOf(values);
        }

        /** The values on one line, {@code a = 1 · b = 2}, or empty. */
        public String valuesLine() {
            return String.join(" · ", values);
        }
    }

    /** A step that did not answer; {@link #line()} is {@code step: status — why}. */
    public record NotChecked(String step, String status, String reason) {

        public String line() {
            return step + ": " + status + (reason == null ? "" : " — " + reason);
        }
    }

    /** The root cause in one line: {@code Root cause (confidence: medium): …} or {@code Root cause: not determined: …}. */
    public String headline() {
        return headLabel + " " + headText;
    }

    /** The findings ruled out, with why. */
    public List<FindingLine> ruledOut() {
        return findings.stream().filter(f -> f.verdict() == Verdict.RULES_OUT).toList();
    }

    /** {@code Severity: critical}, or null when the alert had none. */
    public String severityLine() {
        return severity == null ? null : SEVERITY + " " + severity;
    }

    /** {@code Read as: symptom latency (expression: …), target service checkout (label application)}, or null. */
    public String readAsLine() {
        return readAs == null ? null : READ_AS + " " + readAs;
    }

    /** The labels as {@code k=v} pairs, sorted by name. */
    public List<String> labelPairs() {
        return labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /**
     * The evidence most worth reading first: what the root cause rests on, then the rest that answered,
     * then what did not, each group in the rules' order; at most {@code max}.
     */
    public List<EvidenceItem> topEvidence(int max) {
        List<EvidenceItem> sorted = evidence.stream()
                .sorted(java.util.Comparator.comparingInt(e -> e.cited() ? 0 : e.ok() ? 1 : 2)).toList();
        return sorted.subList(0, Math.min(max, sorted.size()));
    }
}
