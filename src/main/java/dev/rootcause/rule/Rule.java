package dev.rootcause.rule;

import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.alert.reading.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A diagnosis rule loaded from {@code rules/*.yaml} (docs/rules.md).
 *
 * @param id       unique across the rule set, e.g. {@code cache-hit-rate}
 * @param title    one line for people
 * @param file     the file it was loaded from, relative to the rules folder
 * @param layer    where in the stack the rule looks
 * @param match    matchers that must all hold for the alert's labels: an extra filter for a rule that declares
 *                 symptoms, the only one for a rule that does not
 * @param ondemand whether {@code /diagnose} may run it with only a service and a window
 * @param vars     variable name → CEL expression over {@code target}, {@code symptoms}, {@code labels} and
 *                 {@code annotations}, e.g. {@code service: target.service}; usable as {@code $service} in step
 *                 queries
 * @param steps    evidence to gather, in file order
 * @param findings interpretations of the evidence, in file order
 * @param runbook  link for people, or null
 * @param ticket   {@code always} or {@code never} to override the severity policy
 *                 ({@code rootcause.tickets.open-for}) for alerts this rule matches, or null
 * @param symptoms the symptoms the rule explains ({@code symptoms:}; {@code saturation} explains every
 *                 {@code saturation.*}); empty for a rule tied to alerts by {@code match:} alone ({@code symptoms: []});
 *                 null when the file declares none (an older rule, selected by {@code match:} alone, loaded with a
 *                 warning)
 * @param target   the kinds of target the rule needs, any one of them ({@code target:}; among {@link Target#KINDS});
 *                 empty when it needs none ({@code target: none}) or declares no symptoms
 */
public record Rule(String id, String title, String file, Layer layer, List<Matcher> match, boolean ondemand,
        Map<String, String> vars, List<Step> steps, List<FindingRule> findings, String runbook, String ticket,
        List<Symptom> symptoms, List<String> target) {

    /** Values of {@code ticket:} in a rule file. */
    public static final List<String> TICKET_POLICIES = List.of("always", "never");

    /** A rule selected by its matchers alone (it declares no symptoms). */
    public Rule(String id, String title, String file, Layer layer, List<Matcher> match, boolean ondemand,
            Map<String, String> vars, List<Step> steps, List<FindingRule> findings, String runbook, String ticket) {
        this(id, title, file, layer, match, ondemand, vars, steps, findings, runbook, ticket, null, List.of());
    }

    /** A rule without a ticket override, selected by its matchers alone. */
    public Rule(String id, String title, String file, Layer layer, List<Matcher> match, boolean ondemand,
            Map<String, String> vars, List<Step> steps, List<FindingRule> findings, String runbook) {
        this(id, title, file, layer, match, ondemand, vars, steps, findings, runbook, null);
    }

    /**
     * @throws IllegalArgumentException for a target kind outside {@link Target#KINDS}
     */
    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        match = List.copyOf(match);
        vars = Map.copyOf(vars);
        steps = List.copyOf(steps);
        findings = List.copyOf(findings);
        symptoms = symptoms == null ? null : List.copyOf(symptoms);
        target = target == null ? List.of() : List.copyOf(target);
        for (String kind : target) {
            if (!Target.KINDS.contains(kind)) {
                throw new IllegalArgumentException("target kind '" + kind + "': expected one of " + Target.KINDS);
            }
        }
    }

    /** True when every matcher holds for these labels (a missing label reads as ""). */
    public boolean matches(Map<String, String> labels) {
        return match.stream().allMatch(m -> m.matches(labels));
    }

    /** True when the file declares {@code symptoms:} (even {@code []}); false for a rule selected by {@code match:} alone. */
    public boolean declaresSymptoms() {
        return symptoms != null;
    }

    /** True when the rule explains one of the symptoms the alert was read to have. */
    public boolean explains(AlertReading reading) {
        return symptoms != null && symptoms.stream().anyMatch(reading::hasSymptomCoveredBy);
    }

    /** True when the alert names a target of a kind the rule needs, or the rule needs none. */
    public boolean hasTargetIn(Target alertTarget) {
        return target.isEmpty() || target.stream().anyMatch(alertTarget::has);
    }

    /**
     * One evidence-gathering step.
     *
     * @param type  a step type, e.g. {@code metrics.compare}
     * @param needs ids of steps that must finish first
     * @param with    the type's parameters as written in the file; strings may hold {@code $var} placeholders
     * @param timeout how long the step may take, or null for the engine's default
     */
    public record Step(String id, String type, List<String> needs, Map<String, Object> with, Duration timeout) {
        public Step {
            needs = List.copyOf(needs);
            with = Map.copyOf(with);
        }
    }

    /**
     * One interpretation of the evidence.
     *
     * @param when       CEL over {@code steps.<id>.<value>}, {@code labels}, {@code annotations}; true supports
     *                   the cause, false rules it out
     * @param cause      text with {@code {step.value|format}} placeholders ({@link CauseTemplate})
     * @param confidence declared confidence
     * @param cites      step ids whose evidence backs the finding
     * @param runbook    the runbook for this finding (YAML {@code runbook}), or null for the rule's
     */
    public record FindingRule(String id, String when, String cause, Confidence confidence, List<String> cites, String runbook) {
        public FindingRule {
            cites = List.copyOf(cites);
        }

        /** A finding with no runbook of its own: the rule's applies. */
        public FindingRule(String id, String when, String cause, Confidence confidence, List<String> cites) {
            this(id, when, cause, confidence, cites, null);
        }
    }
}
