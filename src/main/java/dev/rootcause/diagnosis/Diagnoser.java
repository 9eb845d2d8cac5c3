package dev.rootcause.diagnosis;

import dev.rootcause.rule.Conditions;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.RuleLoader;
import dev.rootcause.rule.RuleSet;
import dev.rootcause.rule.RulesConfig;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs the rules that match an alert and assembles the {@link Diagnosis}: resolves each rule's vars,
 * runs its steps in file order (a step whose {@code needs} did not succeed is {@code skipped}),
 * evaluates its findings and picks the root cause ({@link Verdicts}).
 */
@ApplicationScoped
public class Diagnoser {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)");

    private final RuleLoader rules;
    private final RulesConfig config;
    private final Map<String, StepRunner> runners = new HashMap<>();

    Diagnoser(RuleLoader rules, RulesConfig config, @All List<StepRunner> runners) {
        this.rules = rules;
        this.config = config;
        runners.forEach(r -> this.runners.put(r.type(), r));
    }

    /** Runs every rule whose matchers hold for the alert's labels. */
    public Diagnosis diagnose(AlertContext alert) {
        return run(alert, ruleSet().rules().stream().filter(r -> r.matches(alert.labels())).toList());
    }

    /** Runs every rule marked {@code ondemand: true}; the alert is synthetic. */
    public Diagnosis diagnoseOnDemand(AlertContext alert) {
        return run(alert, ruleSet().rules().stream().filter(Rule::ondemand).toList());
    }

    private RuleSet ruleSet() {
        return rules.current().orElseThrow(() -> new IllegalStateException("no rule set: " + rules.unavailableReason()));
    }

    private Diagnosis run(AlertContext alert, List<Rule> matching) {
        List<Evidence> evidence = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        String runbook = alert.annotations().get("runbook_url");
        for (Rule rule : matching) {
            Map<String, String> vars = new HashMap<>(config.vars());
            Map<String, String> unresolved = resolveVars(rule, alert, vars);
            Map<String, Evidence> done = new LinkedHashMap<>();
            for (Rule.Step step : rule.steps()) {
                done.put(step.id(), runStep(step, alert, vars, unresolved, done));
            }
            evidence.addAll(done.values());
            findings.addAll(Verdicts.evaluate(rule, done, vars, alert));
            if (runbook == null) {
                runbook = rule.runbook();
            }
        }
        List<Finding> ranked = Verdicts.rank(findings);
        RootCause rootCause = Verdicts.rootCause(ranked, evidence);
        return new Diagnosis(alert, matching.stream().map(Rule::id).toList(), evidence, ranked, rootCause,
                Verdicts.partial(evidence), runbook);
    }

    private Evidence runStep(Rule.Step step, AlertContext alert, Map<String, String> vars,
            Map<String, String> unresolved, Map<String, Evidence> done) {
        StepRunner runner = runners.get(step.type());
        String kind = runner == null ? "unknown" : runner.kind();
        if (runner == null) {
            return Evidence.skipped(step.id(), step.type(), kind, "no runner for step type " + step.type());
        }
        for (String need : step.needs()) {
            Evidence e = done.get(need);
            if (e == null || !e.ok()) {
                return Evidence.skipped(step.id(), step.type(), kind,
                        "needs " + need + ", which ended " + (e == null ? "missing" : e.status().wire()));
            }
        }
        for (Object value : step.with().values()) {
            var m = PLACEHOLDER.matcher(String.valueOf(value));
            while (m.find()) {
                if (unresolved.containsKey(m.group(1))) {
                    return Evidence.skipped(step.id(), step.type(), kind, unresolved.get(m.group(1)));
                }
            }
        }
        try {
            return runner.run(step, alert, vars, done);
        } catch (RuntimeException e) {
            return new Evidence(step.id(), step.type(), kind, null, null, null, null, Evidence.Status.ERROR,
                    "step failed: " + e, Map.of(), null);
        }
    }

    /** Evaluates the rule's vars into {@code vars}; returns var name → why it could not be resolved. */
    private static Map<String, String> resolveVars(Rule rule, AlertContext alert, Map<String, String> vars) {
        Map<String, String> unresolved = new HashMap<>();
        rule.vars().forEach((name, expression) -> {
            try {
                Object v = Conditions.compile(expression).eval(Map.of(), alert.labels(), alert.annotations());
                vars.put(name, String.valueOf(v));
            } catch (Exception e) {
                unresolved.put(name, "var " + name + " (" + expression + ") could not be resolved from the alert: "
                        + e.getMessage());
            }
        });
        return unresolved;
    }
}
