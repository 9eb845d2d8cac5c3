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
 *                  was checked and what it showed; only layers some rule looked at
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
     * @param checked the findings looked at in this layer ({@code rule/finding})
     * @param showed  {@code cause found}, {@code ruled out} or {@code no data}, with the supported cause
     */
    public record LayerVerdict(Layer layer, List<String> checked, String showed) {
        public LayerVerdict {
            checked = List.copyOf(checked);
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
