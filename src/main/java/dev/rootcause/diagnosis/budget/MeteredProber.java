package dev.rootcause.diagnosis.budget;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.rule.ServiceCatalogue;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The dependency prober under the diagnosis' budget: each probe of a dependency is one query, made once per
 * diagnosis however many steps ask for it, and holds a slot of the prober's gate until it ends. Probes stay
 * concurrent: the step waits for them, not this decorator.
 */
public final class MeteredProber implements HttpProber {

    private final HttpProber prober;
    private final BackendGates gates;

    public MeteredProber(HttpProber prober, BackendGates gates) {
        this.prober = prober;
        this.gates = gates;
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ServiceCatalogue.Dependency dependency) {
        QueryBudget budget = QueryBudget.current();
        List<Object> key = List.of("probe", dependency.name(), dependency.health());
        boolean[] created = {budget == null};
        CompletableFuture<Object> shared = budget == null ? null : budget.memo(key, created);
        if (!created[0]) {
            budget.reused();
            return shared.thenApply(ProbeResult.class::cast);
        }
        CompletableFuture<ProbeResult> result = start(budget, dependency);
        if (shared != null) {
            result.whenComplete((r, e) -> {
                if (e != null) {
                    shared.completeExceptionally(e);
                } else {
                    shared.complete(r);
                }
            });
        }
        return result;
    }

    private CompletableFuture<ProbeResult> start(QueryBudget budget, ServiceCatalogue.Dependency dependency) {
        if (budget != null && budget.remainingNanos() <= 0) {
            return CompletableFuture.failedFuture(new ProbeException(Evidence.Status.SKIPPED, budget.deadlineReason()));
        }
        if (budget != null && !budget.take()) {
            return CompletableFuture.failedFuture(new ProbeException(Evidence.Status.SKIPPED, budget.spentReason()));
        }
        BackendGate gate = gates.of(prober.name());
        try {
            gate.acquire(budget);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new ProbeException("interrupted while queued for a " + gate.backend() + " slot"));
        }
        CompletableFuture<ProbeResult> probe;
        try {
            probe = prober.probe(dependency);
        } catch (RuntimeException e) {
            gate.release(budget);
            throw e;
        }
        return probe.whenComplete((r, e) -> gate.release(budget));
    }

    @Override
    public String name() {
        return prober.name();
    }
}
