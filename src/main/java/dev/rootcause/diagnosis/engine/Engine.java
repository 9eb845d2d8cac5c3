package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.rule.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs rules on an alert and assembles the {@link Diagnosis}: resolves each rule's vars, runs all the
 * rules' step DAGs at once ({@link StepDag}), evaluates their findings and picks the root cause
 * ({@link Verdicts}). Plain Java: the service and the rule-test command both use it.
 */
public final class Engine implements AutoCloseable {

    private final StepDag dag;
    private final ExecutorService pool;
    private final Ranking ranking;

    /**
     * An engine over these step runners, running at most {@code threads} steps at once.
     *
     * @param stepTimeout a step's limit when its rule sets none
     */
    public Engine(List<StepRunner> runners, int threads, java.time.Duration stepTimeout) {
        this(runners, threads, stepTimeout, Ranking.Policy.DEFAULT);
    }

    /**
     * An engine that weighs confounding findings by these timing limits ({@link Ranking}).
     *
     * @param stepTimeout a step's limit when its rule sets none
     */
    public Engine(List<StepRunner> runners, int threads, java.time.Duration stepTimeout, Ranking.Policy ranking) {
        this.ranking = new Ranking(ranking);
        Map<String, StepRunner> byType = new HashMap<>();
        runners.forEach(r -> byType.put(r.type(), r));
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "rootcause-step-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.dag = new StepDag(byType, pool, stepTimeout);
    }

    /** Stops the step threads; steps under way are interrupted. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /**
     * @param globalVars variables every rule may use ({@code rootcause.rules.vars.*})
     */
    public Diagnosis run(AlertContext alert, List<Rule> matching, Map<String, String> globalVars) {
        return run(alert, matching, globalVars, List.of());
    }

    /**
     * @param globalVars variables every rule may use ({@code rootcause.rules.vars.*})
     * @param notRun     why rules that fit the alert's symptom did not run ({@link RuleSelection#notRun()})
     */
    public Diagnosis run(AlertContext alert, List<Rule> matching, Map<String, String> globalVars, List<String> notRun) {
        List<CompletableFuture<List<Finding>>> perRule = new ArrayList<>();
        List<CompletableFuture<Map<String, Evidence>>> evidenceFutures = new ArrayList<>();
        for (Rule rule : matching) {
            Map<String, String> vars = new HashMap<>(globalVars);
            Map<String, String> unresolved = resolveVars(rule, alert, vars);
            CompletableFuture<Map<String, Evidence>> evidence = dag.run(rule, alert, vars, unresolved);
            evidenceFutures.add(evidence);
            perRule.add(evidence.thenApply(done -> Verdicts.evaluate(rule, done, vars, alert)));
        }
        List<Evidence> evidence = new ArrayList<>();
        // rule id → its own evidence: step ids are unique within a rule only (two rules may both have "errors")
        Map<String, List<Evidence>> evidenceByRule = new HashMap<>();
        List<Finding> findings = new ArrayList<>();
        List<String> earlier = new ArrayList<>();
        String runbook = alert.annotations().get("runbook_url");
        for (int i = 0; i < matching.size(); i++) {
            evidence.addAll(evidenceFutures.get(i).join().values());
            evidenceByRule.computeIfAbsent(matching.get(i).id(), k -> new ArrayList<>()).addAll(evidenceFutures.get(i).join().values());
            findings.addAll(perRule.get(i).join());
            earlier.addAll(Ranking.earlierChanges(perRule.get(i).join(), evidenceFutures.get(i).join(), alert.startsAt()));
            if (runbook == null) {
                runbook = matching.get(i).runbook();
            }
        }
        Ranking.Result ranked = ranking.rank(findings, alert.startsAt());
        List<String> notes = new ArrayList<>(ranked.notes());
        notes.addAll(earlier);
        return new Diagnosis(alert, matching.stream().map(Rule::id).toList(), evidence, ranked.ranked(),
                Verdicts.rootCause(ranked.rootCause(),
                        ranked.rootCause() == null ? List.of() : evidenceByRule.getOrDefault(ranked.rootCause().rule(), List.of())),
                Verdicts.partial(evidence), runbook,
                Verdicts.layers(ranked.ranked(), ranked.notBlamed()), notes, notRun);
    }

    /** Evaluates the rule's vars into {@code vars}; returns var name → why it could not be resolved. */
    private static Map<String, String> resolveVars(Rule rule, AlertContext alert, Map<String, String> vars) {
        Map<String, String> unresolved = new HashMap<>();
        rule.vars().forEach((name, expression) -> {
            try {
                Object v = CelAlert.eval(expression, Map.of(), alert);
                vars.put(name, String.valueOf(v));
            } catch (Exception e) {
                unresolved.put(name, "var " + name + " (" + expression + ") could not be resolved from the alert: "
                        + e.getMessage());
            }
        });
        return unresolved;
    }
}
