package dev.rootcause.rule;

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
 * @param match    matchers that must all hold for the alert's labels
 * @param ondemand whether {@code /diagnose} may run it with only a service and a window
 * @param vars     variable name → CEL expression over {@code labels} and {@code annotations}, e.g.
 *                 {@code service: labels.service}; usable as {@code $service} in step queries
 * @param steps    evidence to gather, in file order
 * @param findings interpretations of the evidence, in file order
 * @param runbook  link for people, or null
 * @param ticket   {@code always} or {@code never} to override the severity policy
 *                 ({@code rootcause.tickets.open-for}) for alerts this rule matches, or null
 */
public record Rule(String id, String title, String file, Layer layer, List<Matcher> match, boolean ondemand,
        Map<String, String> vars, List<Step> steps, List<FindingRule> findings, String runbook, String ticket) {

    /** Values of {@code ticket:} in a rule file. */
    public static final List<String> TICKET_POLICIES = List.of("always", "never");

    /** A rule without a ticket override. */
    public Rule(String id, String title, String file, Layer layer, List<Matcher> match, boolean ondemand,
            Map<String, String> vars, List<Step> steps, List<FindingRule> findings, String runbook) {
        this(id, title, file, layer, match, ondemand, vars, steps, findings, runbook, null);
    }

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        match = List.copyOf(match);
        vars = Map.copyOf(vars);
        steps = List.copyOf(steps);
        findings = List.copyOf(findings);
    }

    /** True when every matcher holds for these labels (a missing label reads as ""). */
    public boolean matches(Map<String, String> labels) {
        return match.stream().allMatch(m -> m.matches(labels));
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
     */
    public record FindingRule(String id, String when, String cause, Confidence confidence, List<String> cites) {
        public FindingRule {
            cites = List.copyOf(cites);
        }
    }
}
