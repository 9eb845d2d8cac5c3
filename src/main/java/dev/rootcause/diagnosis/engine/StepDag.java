package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.budget.QueryBudget;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.rule.Durations;
import dev.rootcause.rule.Rule;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs one rule's steps as a DAG: a step starts as soon as the steps it {@code needs} finished
 * {@code ok}, on a shared bounded pool, and is cut off at its timeout. A step whose needs did not end
 * {@code ok} (unless it {@link StepRunner#runsAfterFailedNeeds() reads them only as hints}), or whose {@code $var}
 * could not be resolved, is {@code skipped} with the reason. The
 * rule's wall time is therefore its critical path, not the sum of its steps.
 */
final class StepDag {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)");

    private final Map<String, StepRunner> runners;
    private final ExecutorService pool;
    private final Duration defaultTimeout;

    StepDag(Map<String, StepRunner> runners, ExecutorService pool, Duration defaultTimeout) {
        this.runners = runners;
        this.pool = pool;
        this.defaultTimeout = defaultTimeout;
    }

    /**
     * Starts every step of a rule; the returned future completes with the evidence of each step, in
     * file order, and never completes exceptionally.
     *
     * @param unresolved var name → why it has no value
     */
    CompletableFuture<Map<String, Evidence>> run(Rule rule, AlertContext alert, Map<String, String> vars,
            Map<String, String> unresolved, QueryBudget budget) {
        Map<String, CompletableFuture<Evidence>> started = new HashMap<>();
        for (Rule.Step step : rule.steps()) {
            start(step, rule, alert, vars, unresolved, started, budget);
        }
        CompletableFuture<?>[] all = started.values().toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all).thenApply(v -> {
            Map<String, Evidence> out = new LinkedHashMap<>();
            rule.steps().forEach(s -> out.put(s.id(), started.get(s.id()).join()));
            return out;
        });
    }

    private CompletableFuture<Evidence> start(Rule.Step step, Rule rule, AlertContext alert, Map<String, String> vars,
            Map<String, String> unresolved, Map<String, CompletableFuture<Evidence>> started, QueryBudget budget) {
        CompletableFuture<Evidence> existing = started.get(step.id());
        if (existing != null) {
            return existing;
        }
        // Needs were checked acyclic at load, so this recursion ends.
        List<CompletableFuture<Evidence>> needs = step.needs().stream()
                .map(id -> start(rule.steps().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(),
                        rule, alert, vars, unresolved, started, budget))
                .toList();
        CompletableFuture<Evidence> future = CompletableFuture.allOf(needs.toArray(CompletableFuture[]::new))
                .thenCompose(v -> {
                    Map<String, Evidence> previous = new LinkedHashMap<>();
                    for (int i = 0; i < needs.size(); i++) {
                        previous.put(step.needs().get(i), needs.get(i).join());
                    }
                    return execute(step, alert, vars, unresolved, previous, budget);
                });
        started.put(step.id(), future);
        return future;
    }

    private CompletableFuture<Evidence> execute(Rule.Step step, AlertContext alert, Map<String, String> vars,
            Map<String, String> unresolved, Map<String, Evidence> previous, QueryBudget budget) {
        StepRunner runner = runners.get(step.type());
        String kind = runner == null ? "unknown" : runner.kind();
        if (runner == null) {
            return CompletableFuture.completedFuture(Evidence.skipped(step.id(), step.type(), kind,
                    "no runner for step type " + step.type()));
        }
        for (Map.Entry<String, Evidence> need : previous.entrySet()) {
            if (!need.getValue().ok() && !runner.runsAfterFailedNeeds()) {
                return CompletableFuture.completedFuture(Evidence.skipped(step.id(), step.type(), kind,
                        "needs " + need.getKey() + ", which ended " + need.getValue().status().wire()));
            }
        }
        for (Object value : step.with().values()) {
            var m = PLACEHOLDER.matcher(String.valueOf(value));
            while (m.find()) {
                if (unresolved.containsKey(m.group(1))) {
                    return CompletableFuture.completedFuture(Evidence.skipped(step.id(), step.type(), kind,
                            unresolved.get(m.group(1))));
                }
            }
        }
        Duration timeout = step.timeout() == null ? defaultTimeout : step.timeout();
        // The clock starts when the step starts running, not while it waits for a pool thread; both the step's
        // timeout and the diagnosis' deadline are read on the diagnosis' clock, which stops while it is queued.
        CompletableFuture<Evidence> result = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                if (budget.remainingNanos() <= 0) {
                    result.complete(Evidence.skipped(step.id(), step.type(), kind, budget.deadlineReason()));
                    return;
                }
                watch(result, budget, budget.activeNanos() + timeout.toNanos());
                try (QueryBudget.Scope scope = budget.enter(runner.reservedQueries(step) > 0)) {
                    result.complete(runner.run(step, alert, vars, previous));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("the engine is shutting down"));
        }
        return result
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    boolean timedOut = cause instanceof TimeoutException;
                    return new Evidence(step.id(), step.type(), kind, null, null, null, null,
                            timedOut ? Evidence.Status.TIMEOUT : Evidence.Status.ERROR,
                            timedOut ? (cause.getMessage() != null ? cause.getMessage()
                                    : "step took longer than its timeout of " + Durations.format(timeout))
                                    : "step failed: " + cause, Map.of(), null);
                });
    }

    /**
     * Cuts the step off when the diagnosis' clock passes {@code stepEnd} (its timeout) or the diagnosis' deadline,
     * whichever comes first. Re-arms itself when the clock stopped meanwhile (queries queued for a backend slot).
     */
    private static void watch(CompletableFuture<Evidence> result, QueryBudget budget, long stepEnd) {
        if (result.isDone()) {
            return;
        }
        long remaining = budget.remainingNanos();
        long toStepEnd = stepEnd - budget.activeNanos();
        if (remaining <= 0) {
            result.completeExceptionally(new TimeoutException("cut off at the " + budget.deadlineReason()));
        } else if (toStepEnd <= 0) {
            result.completeExceptionally(new TimeoutException());
        } else {
            CompletableFuture.delayedExecutor(Math.min(remaining, toStepEnd), TimeUnit.NANOSECONDS)
                    .execute(() -> watch(result, budget, stepEnd));
        }
    }
}
