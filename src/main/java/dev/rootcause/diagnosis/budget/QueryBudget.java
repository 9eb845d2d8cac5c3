package dev.rootcause.diagnosis.budget;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * What one diagnosis may spend on its backends: at most {@code limit} queries (a repeat of the same query over the
 * same window is answered from the diagnosis' memo and costs nothing) and a deadline on the time it runs. The time
 * its queries wait queued for a backend slot ({@link BackendGate}) is not counted: the deadline bounds the load a
 * diagnosis puts on the backends, not how long it waits behind more severe ones.
 *
 * <p>The engine sets it for the thread running each step ({@link #enter}); the metered ports
 * ({@link MeteredPorts}) read it with {@link #current()}. Code outside a diagnosis (verifying a change) has
 * none: no memo, no limit, and the lowest priority at the gates.
 */
public final class QueryBudget {

    /** Priority of work outside any diagnosis: after every diagnosis. */
    public static final int NO_DIAGNOSIS_PRIORITY = Integer.MAX_VALUE;

    private static final ThreadLocal<QueryBudget> CURRENT = new ThreadLocal<>();
    /** Whether the step running on this thread set queries aside ({@link #enter(boolean)}). */
    private static final ThreadLocal<Boolean> RESERVING = ThreadLocal.withInitial(() -> false);

    private final int limit;
    private final Duration deadline;
    private final int priority;
    private final long sequence;
    private final IntConsumer onQueued;
    private final LongSupplier nanos;
    private final long startNanos;
    private final AtomicInteger used = new AtomicInteger();
    /** Queries set aside for reserving steps and not yet spent by them. */
    private final AtomicInteger reservedLeft = new AtomicInteger();
    private final AtomicInteger asked = new AtomicInteger();
    private final ConcurrentHashMap<List<Object>, CompletableFuture<Object>> memo = new ConcurrentHashMap<>();
    private final AtomicBoolean queuedSaid = new AtomicBoolean();
    private final Object clockLock = new Object();
    private int waiting;
    private long waitingSince;
    private long waitedNanos;

    /**
     * @param limit    queries the diagnosis may send ({@code rootcause.diagnosis.max-queries}), ≥ 1
     * @param deadline how long it may run, queue waits left out ({@code rootcause.diagnosis.deadline})
     * @param priority lower is served first at the backend gates (0 = critical; see {@link Priority})
     * @param sequence ties between equal priorities: the diagnosis that started first goes first
     * @param onQueued called once, the first time one of its queries waits for a backend slot, with how many
     *                 queries of other diagnoses are ahead of it
     * @param nanos    a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their own)
     */
    public QueryBudget(int limit, Duration deadline, int priority, long sequence, IntConsumer onQueued, LongSupplier nanos) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        this.limit = limit;
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.priority = priority;
        this.sequence = sequence;
        this.onQueued = onQueued == null ? n -> { } : onQueued;
        this.nanos = nanos;
        this.startNanos = nanos.getAsLong();
    }

    /** The budget of the diagnosis whose step runs on this thread, or null. */
    public static QueryBudget current() {
        return CURRENT.get();
    }

    /**
     * Makes this the current thread's budget until the returned scope is closed.
     */
    public Scope enter() {
        return enter(false);
    }

    /**
     * Makes this the current thread's budget until the returned scope is closed.
     *
     * @param reserving the step running set queries aside ({@link #reserve}): it may spend them, then the common part
     */
    public Scope enter(boolean reserving) {
        QueryBudget before = CURRENT.get();
        boolean wasReserving = RESERVING.get();
        CURRENT.set(this);
        RESERVING.set(reserving);
        return () -> {
            CURRENT.set(before);
            RESERVING.set(wasReserving);
        };
    }

    /**
     * Sets {@code queries} aside for the reserving steps of this diagnosis, at most half the limit (the other checks
     * keep the rest); call before any step runs.
     *
     * @return the queries set aside
     */
    public int reserve(int queries) {
        int n = Math.max(0, Math.min(queries, limit / 2));
        reservedLeft.set(n);
        return n;
    }

    /** A budget made current by {@link #enter()}; closing restores the one before. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Queries sent to backends so far (memo hits not counted). */
    public int used() {
        return used.get();
    }

    /** Queries the steps asked for, memo hits included. */
    public int asked() {
        return asked.get();
    }

    public int limit() {
        return limit;
    }

    public Duration deadline() {
        return deadline;
    }

    public int priority() {
        return priority;
    }

    public long sequence() {
        return sequence;
    }

    /** Why a query is not sent: {@code query budget of 30 spent}. */
    public String spentReason() {
        return "query budget of " + limit + " spent";
    }

    /** Why a step does not start or is cut off: {@code diagnosis deadline of 3s reached}. */
    public String deadlineReason() {
        return "diagnosis deadline of " + dev.rootcause.rule.Durations.format(deadline) + " reached";
    }

    /** Time this diagnosis has run, the time its queries waited queued for a backend slot left out, in nanoseconds. */
    public long activeNanos() {
        synchronized (clockLock) {
            long now = nanos.getAsLong();
            return now - startNanos - waitedNanos - (waiting > 0 ? now - waitingSince : 0);
        }
    }

    /** Nanoseconds left before the deadline (≤ 0 when reached). */
    public long remainingNanos() {
        return deadline.toNanos() - activeNanos();
    }

    /**
     * Takes one query from the budget.
     *
     * @return false when none is left (the caller does not send it)
     */
    boolean take() {
        asked.incrementAndGet();
        boolean reserving = RESERVING.get();
        synchronized (used) {
            int n = used.get();
            // a step that set nothing aside leaves what is still set aside for the others
            if (n >= limit || !reserving && n + reservedLeft.get() >= limit) {
                return false;
            }
            used.incrementAndGet();
            if (reserving && reservedLeft.get() > 0) {
                reservedLeft.decrementAndGet();
            }
            return true;
        }
    }

    /** A memo hit: counted as asked, not as used. */
    void reused() {
        asked.incrementAndGet();
    }

    /** The memo entry for a query; the caller that created it (second value true) must complete it. */
    CompletableFuture<Object> memo(List<Object> key, boolean[] created) {
        return memo.computeIfAbsent(key, k -> {
            created[0] = true;
            return new CompletableFuture<>();
        });
    }

    /** Waits for a memo entry another step is filling. */
    static Object await(CompletableFuture<Object> f) throws Throwable {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (CancellationException e) {
            throw new IllegalStateException("the query this step shares was cancelled");
        }
    }

    /** One of its queries started waiting for a backend slot, with {@code ahead} queued before it. */
    void waitStarted(int ahead) {
        synchronized (clockLock) {
            if (waiting++ == 0) {
                waitingSince = nanos.getAsLong();
            }
        }
        if (queuedSaid.compareAndSet(false, true)) {
            onQueued.accept(ahead);
        }
    }

    /** One of its queries stopped waiting (got a slot, or gave up). */
    void waitEnded() {
        synchronized (clockLock) {
            if (--waiting == 0) {
                waitedNanos += nanos.getAsLong() - waitingSince;
            }
        }
    }
}
