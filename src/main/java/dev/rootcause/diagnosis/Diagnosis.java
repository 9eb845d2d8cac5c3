package dev.rootcause.diagnosis;

import dev.rootcause.rule.Layer;
import java.util.List;

/**
 * The result of running the matching rules on one alert.
 *
 * @param rules     ids of the rules that ran
 * @param evidence  every step's evidence, rule by rule
 * @param findings  every finding's verdict, the root cause's first
 * @param rootCause the best supported finding, or null when none is supported
 * @param partial   one line per source that could not answer ("prometheus: connection refused"); empty
 *                  when every step ran
 * @param runbook   the rule's runbook or the alert's {@code runbook_url}, or null
 * @param layers    the layered verdict: per layer (network → application → storage → dependency) what
 *                  was checked and what it showed; all four layers, those no rule looked at as
 *                  {@code not checked: <why>} (reports stored before 0.x hold only the layers some rule looked at)
 * @param rankingNotes why the root cause was preferred over the other supported findings, and which were not
 *                  blamed and why ("preferred a over b: b began 3 days before the alert ..."); empty when at most
 *                  one finding was supported. See {@link Ranking}.
 * @param notRun    one line per rule that explains the alert's symptom but needs a target the alert does not name,
 *                  e.g. {@code not run: cpu-throttling needs a service; the alert names none}; empty when none
 */
public record Diagnosis(AlertContext alert, List<String> rules, List<Evidence> evidence, List<Finding> findings,
        RootCause rootCause, List<String> partial, String runbook, List<LayerVerdict> layers, List<String> rankingNotes,
        List<String> notRun) {

    /**
     * One row of the layered verdict.
     *
     * @param layer   the layer
     * @param checked the findings looked at in this layer ({@code rule/finding}), for machines; people read
     *                {@code checks}
     * @param showed  what the layer showed, one of: {@code cause found: <cause>}; {@code supported but not blamed
     *                (…): <cause>}; {@code ruled out} (every check ran with data and rejected its cause);
     *                {@code not ruled out: N of M checks did not run in full (…)} (some checks ruled their cause out, from all or
     *                part of their evidence, others had no data or did not run; "ruled out in part" before 0.x);
     *                {@code no data: <why>} (checks ran, the backends had nothing); {@code not checked: <why>} (no
     *                rule of the layer applied, or none of its steps could run: "prometheus error: connection
     *                refused", "query budget of 30 spent")
     * @param checks  each rule of the layer that applied, with what it showed, in rule order; empty when not
     *                checked by any rule (and in reports stored before the field existed)
     */
    public record LayerVerdict(Layer layer, List<String> checked, String showed, List<Check> checks) {
        public LayerVerdict {
            checked = List.copyOf(checked);
            // null in reports stored before the field existed
            checks = checks == null ? List.of() : List.copyOf(checks);
        }

        /** A row without per-check detail (reports stored before it existed, tests). */
        public LayerVerdict(Layer layer, List<String> checked, String showed) {
            this(layer, checked, showed, List.of());
        }

        /** True when no rule of the layer looked at anything ({@code showed} starts with {@code not checked}). */
        public boolean notChecked() {
            return showed.startsWith(Check.NOT_CHECKED);
        }
    }

    /**
     * One check of a layer: a rule that applied.
     *
     * @param rule   the rule id
     * @param title  the rule's title, what a person reads ("TCP retransmissions rose on the node")
     * @param showed {@code cause found: <cause>}, {@code supported but not blamed: <cause>}, {@code ruled out},
     *               {@code ruled out, though <what did not answer>}, {@code no data: <why>} or {@code not checked:
     *               <why>}
     */
    public record Check(String rule, String title, String showed) {

        /** How {@code showed} starts when the check could not run. */
        public static final String NOT_CHECKED = "not checked";

        /** {@code <title>: <showed>}, one line. */
        public String line() {
            return title + ": " + showed;
        }
    }

    /** A diagnosis where every selected rule ran. */
    public Diagnosis(AlertContext alert, List<String> rules, List<Evidence> evidence, List<Finding> findings,
            RootCause rootCause, List<String> partial, String runbook, List<LayerVerdict> layers, List<String> rankingNotes) {
        this(alert, rules, evidence, findings, rootCause, partial, runbook, layers, rankingNotes, List.of());
    }

    /** A diagnosis without ranking notes (nothing to weigh). */
    public Diagnosis(AlertContext alert, List<String> rules, List<Evidence> evidence, List<Finding> findings,
            RootCause rootCause, List<String> partial, String runbook, List<LayerVerdict> layers) {
        this(alert, rules, evidence, findings, rootCause, partial, runbook, layers, List.of());
    }

    public Diagnosis {
        // null for a diagnosis stored before the field existed
        rankingNotes = rankingNotes == null ? List.of() : List.copyOf(rankingNotes);
        notRun = notRun == null ? List.of() : List.copyOf(notRun);
        rules = List.copyOf(rules);
        evidence = List.copyOf(evidence);
        findings = List.copyOf(findings);
        partial = List.copyOf(partial);
        layers = List.copyOf(layers);
    }
}
