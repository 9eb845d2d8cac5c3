package dev.rootcause.diagnosis;

import dev.rootcause.rule.Conditions;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.RuleLoader;
import dev.rootcause.rule.RuleSet;
import dev.rootcause.rule.RulesConfig;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the rules that match an alert and assembles the {@link Diagnosis}: resolves each rule's vars,
 * runs all matching rules' step DAGs at once ({@link StepDag}), evaluates their findings and picks the
 * root cause ({@link Verdicts}).
 */
@ApplicationScoped
public class Diagnoser {

    private final RuleLoader rules;
    private final RulesConfig config;
    private final StepDag dag;
    private final ExecutorService pool;

    Diagnoser(RuleLoader rules, RulesConfig config, DiagnosisConfig diagnosis, @All List<StepRunner> runners) {
        this.rules = rules;
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(diagnosis.concurrency(), r -> {
            Thread t = new Thread(r, "rootcause-step-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Map<String, StepRunner> byType = new HashMap<>();
        runners.forEach(r -> byType.put(r.type(), r));
        this.dag = new StepDag(byType, pool, diagnosis.stepTimeout());
    }

    void onStop(@Observes ShutdownEvent event) {
        pool.shutdownNow();
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

    /** Runs the given rules on the alert; blocks until every step has ended (each has a timeout). */
    public Diagnosis run(AlertContext alert, List<Rule> matching) {
        List<CompletableFuture<List<Finding>>> perRule = new ArrayList<>();
        List<CompletableFuture<Map<String, Evidence>>> evidenceFutures = new ArrayList<>();
        for (Rule rule : matching) {
            Map<String, String> vars = new HashMap<>(config.vars());
            Map<String, String> unresolved = resolveVars(rule, alert, vars);
            CompletableFuture<Map<String, Evidence>> evidence = dag.run(rule, alert, vars, unresolved);
            evidenceFutures.add(evidence);
            perRule.add(evidence.thenApply(done -> Verdicts.evaluate(rule, done, vars, alert)));
        }
        List<Evidence> evidence = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        String runbook = alert.annotations().get("runbook_url");
        for (int i = 0; i < matching.size(); i++) {
            evidence.addAll(evidenceFutures.get(i).join().values());
            findings.addAll(perRule.get(i).join());
            if (runbook == null) {
                runbook = matching.get(i).runbook();
            }
        }
        List<Finding> ranked = Verdicts.rank(findings);
        return new Diagnosis(alert, matching.stream().map(Rule::id).toList(), evidence, ranked,
                Verdicts.rootCause(ranked, evidence), Verdicts.partial(evidence), runbook, Verdicts.layers(ranked));
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
