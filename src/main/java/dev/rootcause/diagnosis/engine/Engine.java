package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.budget.QueryBudget;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.rule.Layer;
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
    private final Map<String, StepRunner> byType;
    private final ExecutorService pool;
    private final Ranking ranking;
    private final Limits limits;
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();

    /**
     * What one diagnosis may spend.
     *
     * @param maxQueries backend queries per diagnosis ({@code rootcause.diagnosis.max-queries}); the steps that
     *                   would send more end {@code skipped} ("query budget of 30 spent")
     * @param deadline   how long a diagnosis may run, time queued for a backend slot left out
     *                   ({@code rootcause.diagnosis.deadline}); steps still running are cut off ({@code timeout}),
     *                   steps not started end {@code skipped}
     */
    public record Limits(int maxQueries, java.time.Duration deadline) {
        /** No limit worth the name: for tools and tests that measure rather than bound. */
        public static final Limits NONE = new Limits(Integer.MAX_VALUE, java.time.Duration.ofDays(1));
    }

    /**
     * Who is asking, for the backend gates.
     *
     * @param priority lower is served first ({@code SeverityRank.priority}: 0 for critical)
     * @param onQueued called once when a query of the diagnosis first waits for a backend slot, with how many
     *                 other diagnoses are ahead of it
     */
    public record Request(int priority, java.util.function.IntConsumer onQueued) {
        /** A diagnosis nobody waits on: after every alert's, never said to be queued. */
        public static final Request BACKGROUND = new Request(dev.rootcause.diagnosis.budget.QueryBudget.NO_DIAGNOSIS_PRIORITY - 1, n -> { });
    }

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
        this(runners, threads, stepTimeout, ranking, Limits.NONE);
    }

    /**
     * An engine whose diagnoses each stay within {@code limits}.
     *
     * @param stepTimeout a step's limit when its rule sets none
     */
    public Engine(List<StepRunner> runners, int threads, java.time.Duration stepTimeout, Ranking.Policy ranking, Limits limits) {
        this.ranking = new Ranking(ranking);
        this.limits = limits;
        Map<String, StepRunner> byType = new HashMap<>();
        runners.forEach(r -> byType.put(r.type(), r));
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "rootcause-step-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.dag = new StepDag(byType, pool, stepTimeout);
        this.byType = Map.copyOf(byType);
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
        return run(alert, matching, globalVars, List.of(), Map.of(), Request.BACKGROUND);
    }

    /**
     * @param globalVars variables every rule may use ({@code rootcause.rules.vars.*})
     * @param notRun     why rules that fit the alert's symptom did not run ({@link RuleSelection#notRun()})
     * @param unselected layer → why no rule of that layer ran, said in the layered verdict as {@code not checked:
     *                   <why>} (e.g. "the alert names no pod"); a layer not in it says no rule of it explains the
     *                   alert's symptoms
     * @param request    its priority at the backend gates, and who hears that it is queued
     */
    public Diagnosis run(AlertContext alert, List<Rule> matching, Map<String, String> globalVars, List<String> notRun,
            Map<Layer, String> unselected, Request request) {
        QueryBudget budget = new QueryBudget(limits.maxQueries(), limits.deadline(), request.priority(), sequence.incrementAndGet(),
                request.onQueued(), System::nanoTime);
        budget.reserve(matching.stream().flatMap(r -> r.steps().stream())
                .mapToInt(s -> byType.containsKey(s.type()) ? byType.get(s.type()).reservedQueries(s) : 0).sum());
        List<CompletableFuture<List<Finding>>> perRule = new ArrayList<>();
        List<CompletableFuture<Map<String, Evidence>>> evidenceFutures = new ArrayList<>();
        for (Rule rule : matching) {
            Map<String, String> vars = new HashMap<>(globalVars);
            Map<String, String> unresolved = resolveVars(rule, alert, vars);
            CompletableFuture<Map<String, Evidence>> evidence = dag.run(rule, alert, vars, unresolved, budget);
            evidenceFutures.add(evidence);
            perRule.add(evidence.thenApply(done -> Verdicts.evaluate(rule, done, vars, alert)));
        }
        List<Evidence> evidence = new ArrayList<>();
        // rule id → its own evidence: step ids are unique within a rule only (two rules may both have "errors")
        Map<String, List<Evidence>> evidenceByRule = new HashMap<>();
        Map<String, Map<String, Evidence>> stepsByRule = new HashMap<>();
        List<Finding> findings = new ArrayList<>();
        List<String> earlier = new ArrayList<>();
        String runbook = alert.annotations().get("runbook_url");
        for (int i = 0; i < matching.size(); i++) {
            evidence.addAll(evidenceFutures.get(i).join().values());
            evidenceByRule.computeIfAbsent(matching.get(i).id(), k -> new ArrayList<>()).addAll(evidenceFutures.get(i).join().values());
            stepsByRule.computeIfAbsent(matching.get(i).id(), k -> new java.util.LinkedHashMap<>()).putAll(evidenceFutures.get(i).join());
            findings.addAll(perRule.get(i).join());
            earlier.addAll(Ranking.earlierChanges(perRule.get(i).join(), evidenceFutures.get(i).join(), alert.startsAt()));
        }
        Ranking.Result ranked = ranking.rank(findings, alert.startsAt(),
                f -> SameCause.of(f, stepsByRule.getOrDefault(f.rule(), Map.of())));
        // findings of other rules naming the same cause: their evidence kinds count with the root cause's
        java.util.Set<String> agreeingKinds = new java.util.LinkedHashSet<>();
        ranked.agreeing().forEach(f -> agreeingKinds.addAll(SameCause.of(f, stepsByRule.getOrDefault(f.rule(), Map.of())).kinds()));
        if (runbook == null) {
            runbook = runbook(matching, ranked.rootCause());
        }
        List<String> notes = new ArrayList<>(ranked.notes());
        notes.addAll(earlier);
        return new Diagnosis(alert, matching.stream().map(Rule::id).toList(), evidence, ranked.ranked(),
                Verdicts.rootCause(ranked.rootCause(),
                        ranked.rootCause() == null ? List.of() : evidenceByRule.getOrDefault(ranked.rootCause().rule(), List.of()), alert,
                        agreeingKinds),
                Verdicts.partial(evidence), runbook,
                Layers.of(alert, matching, stepsByRule, ranked.ranked(), ranked.notBlamed(), unselected), notes, notRun);
    }

    /**
     * The runbook of what was found: the root cause's finding's own, else its rule's; none when no cause was found
     * (a rule's runbook is about its causes, and linking the eviction runbook to a report that found none misleads).
     */
    private static String runbook(List<Rule> rules, Finding root) {
        if (root == null) {
            return null;
        }
        Rule rule = rules.stream().filter(r -> r.id().equals(root.rule())).findFirst().orElse(null);
        if (rule == null) {
            return null;
        }
        return rule.findings().stream().filter(f -> f.id().equals(root.id()) && f.runbook() != null).map(Rule.FindingRule::runbook)
                .findFirst().orElse(rule.runbook());
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
