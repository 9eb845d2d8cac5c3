package dev.rootcause.diagnosis.budget;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * At most {@code permits} queries at once to one backend, shared by every diagnosis, so a storm of alert groups
 * cannot pile onto a Prometheus that is already struggling. Queries that must wait are served most severe
 * diagnosis first ({@link QueryBudget#priority()}), then the diagnosis that started first, then in arrival order.
 *
 * <p>SmallRye Fault Tolerance's {@code @Bulkhead} caps concurrency per method but queues in arrival order, and its
 * limit is fixed per annotated method rather than per configured backend; the ordering here is what it lacks.
 */
public final class BackendGate {

    private static final Comparator<Waiter> ORDER = Comparator.comparingInt(Waiter::priority)
            .thenComparingLong(Waiter::sequence).thenComparingLong(Waiter::arrival);

    private final String backend;
    private final int permits;
    private final QueryObserver observer;
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(ORDER);
    /** Diagnosis sequence → its queries holding a slot, to say how many diagnoses a waiter is behind. */
    private final Map<Long, Integer> running = new HashMap<>();
    private int inUse;
    private long arrivals;

    /**
     * @param backend the backend's name, for messages ({@code prometheus})
     * @param permits queries at once, ≥ 1 ({@code rootcause.diagnosis.backend-concurrency})
     */
    public BackendGate(String backend, int permits) {
        this(backend, permits, QueryObserver.NONE);
    }

    /** As above, with the observer that hears each query's outcome ({@link Metered}). */
    public BackendGate(String backend, int permits, QueryObserver observer) {
        this.observer = observer;
        if (permits < 1) {
            throw new IllegalArgumentException("backend concurrency of " + backend + " must be at least 1, got " + permits);
        }
        this.backend = backend;
        this.permits = permits;
    }

    private record Waiter(int priority, long sequence, long arrival, boolean[] granted) {
    }

    /**
     * Waits for a slot. The budget (null outside a diagnosis: served last) hears when its query starts and stops
     * waiting, so its deadline leaves the wait out and the chat can say it is queued.
     *
     * @throws InterruptedException when interrupted while waiting (the slot is not held)
     */
    public void acquire(QueryBudget budget) throws InterruptedException {
        int priority = budget == null ? QueryBudget.NO_DIAGNOSIS_PRIORITY : budget.priority();
        long sequence = budget == null ? Long.MAX_VALUE : budget.sequence();
        Waiter me;
        int ahead;
        synchronized (this) {
            if (inUse < permits && waiting.isEmpty()) {
                hold(sequence);
                return;
            }
            me = new Waiter(priority, sequence, arrivals++, new boolean[1]);
            waiting.add(me);
            ahead = diagnosesAhead(me);
        }
        if (budget != null) {
            budget.waitStarted(ahead);
        }
        try {
            synchronized (this) {
                while (!me.granted()[0]) {
                    wait();
                }
            }
        } catch (InterruptedException e) {
            synchronized (this) {
                if (me.granted()[0]) {
                    release(sequence);
                } else {
                    waiting.remove(me);
                }
            }
            throw e;
        } finally {
            if (budget != null) {
                budget.waitEnded();
            }
        }
    }

    /** Gives the slot back; the first waiter in order gets it. */
    public void release(QueryBudget budget) {
        release(budget == null ? Long.MAX_VALUE : budget.sequence());
    }

    private synchronized void release(long sequence) {
        inUse--;
        running.computeIfPresent(sequence, (k, n) -> n == 1 ? null : n - 1);
        Waiter next = waiting.poll();
        if (next != null) {
            hold(next.sequence());
            next.granted()[0] = true;
            notifyAll();
        }
    }

    private void hold(long sequence) {
        inUse++;
        running.merge(sequence, 1, Integer::sum);
    }

    /** Other diagnoses holding a slot or waiting before {@code me}. */
    private int diagnosesAhead(Waiter me) {
        List<Long> ahead = new ArrayList<>(running.keySet());
        waiting.stream().filter(w -> ORDER.compare(w, me) < 0).forEach(w -> ahead.add(w.sequence()));
        return (int) ahead.stream().distinct().filter(s -> s != me.sequence()).count();
    }

    /** Queries holding a slot now. */
    public synchronized int inUse() {
        return inUse;
    }

    /** Queries waiting for a slot now. */
    public synchronized int queued() {
        return waiting.size();
    }

    /** Tells the observer how a query of this backend ended ({@link QueryObserver#query}). */
    void observed(String outcome, long nanos) {
        observer.query(backend, outcome, nanos);
    }

    public String backend() {
        return backend;
    }

    public int permits() {
        return permits;
    }
}
