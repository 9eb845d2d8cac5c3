package dev.rootcause.diagnosis.budget;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.diagnosis.port.SourceException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One backend query under the current diagnosis' {@link QueryBudget}: answered from its memo when the same query
 * over the same window was asked before (concurrent askers share one call), refused ({@code skipped}) when its
 * budget is spent or its deadline reached, otherwise sent through the backend's {@link BackendGate}.
 */
final class Metered {

    private Metered() {
    }

    /** The backend call. */
    interface Call<T> {
        T call() throws Exception;
    }

    /** The port's own exception for a query not sent, with its evidence status and reason. */
    interface Refusal<E extends Exception> {
        E of(Evidence.Status status, String reason);
    }

    /**
     * @param key  what makes two queries the same (kind, query text, window …); null: never shared
     * @param type the port's checked exception, rethrown as is
     * @throws E the backend's failure, or a refusal (budget spent, deadline reached, interrupted while queued)
     */
    static <T, E extends Exception> T ask(BackendGate gate, List<Object> key, Call<T> call, Refusal<E> refuse, Class<E> type)
            throws E {
        QueryBudget budget = QueryBudget.current();
        if (budget == null) {
            return send(gate, null, call, refuse, type);
        }
        boolean[] created = {false};
        CompletableFuture<Object> shared = key == null ? null : budget.memo(key, created);
        if (shared != null && !created[0]) {
            budget.reused();
            try {
                @SuppressWarnings("unchecked")
                T value = (T) QueryBudget.await(shared);
                return value;
            } catch (Throwable t) {
                throw rethrow(t, refuse, type);
            }
        }
        try {
            T value = send(gate, budget, call, refuse, type);
            if (shared != null) {
                shared.complete(value);
            }
            return value;
        } catch (Exception | Error e) {
            if (shared != null) {
                shared.completeExceptionally(e);
            }
            throw e;
        }
    }

    private static <T, E extends Exception> T send(BackendGate gate, QueryBudget budget, Call<T> call, Refusal<E> refuse,
            Class<E> type) throws E {
        if (budget != null) {
            if (budget.remainingNanos() <= 0) {
                budget.reused(); // asked, not sent
                gate.observed("skipped", 0);
                throw refuse.of(Evidence.Status.SKIPPED, budget.deadlineReason());
            }
            if (!budget.take()) {
                gate.observed("skipped", 0);
                throw refuse.of(Evidence.Status.SKIPPED, budget.spentReason());
            }
        }
        try {
            gate.acquire(budget);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refuse.of(Evidence.Status.TIMEOUT, "interrupted while queued for a " + gate.backend() + " slot");
        }
        long started = System.nanoTime();
        String outcome = "error";
        try {
            T value = call.call();
            outcome = "ok";
            return value;
        } catch (Exception e) {
            outcome = outcome(e);
            throw rethrow(e, refuse, type);
        } finally {
            gate.release(budget);
            gate.observed(outcome, System.nanoTime() - started);
        }
    }

    /** {@code timeout} when the source said so, else {@code error}. */
    private static String outcome(Exception e) {
        Evidence.Status status = e instanceof SourceException s ? s.status()
                : e instanceof HttpProber.ProbeException p ? p.status() : Evidence.Status.ERROR;
        return status == Evidence.Status.TIMEOUT ? "timeout" : "error";
    }

    private static <E extends Exception> E rethrow(Throwable t, Refusal<E> refuse, Class<E> type) {
        if (type.isInstance(t)) {
            return type.cast(t);
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return refuse.of(Evidence.Status.ERROR, String.valueOf(t.getMessage()));
    }
}
