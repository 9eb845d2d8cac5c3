package dev.rootcause.diagnosis.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.support.SeverityRank;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-backend cap (most severe first, queue time off the deadline) and the per-diagnosis budget. */
class BackendGateTest {

    private final AtomicLong clock = new AtomicLong();

    private QueryBudget budget(String severity, long sequence, AtomicInteger queuedBehind) {
        return new QueryBudget(30, Duration.ofSeconds(3), SeverityRank.priority(severity), sequence, queuedBehind::set, clock::get);
    }

    /** Polls until the gate has {@code n} waiters, with a deadline (never a fixed sleep). */
    private static void awaitQueued(BackendGate gate, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gate.queued() < n && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertThat(gate.queued()).isEqualTo(n);
    }

    @Test
    void waitingQueriesAreServedCriticalFirstAndTheirWaitIsNotCountedAgainstTheDeadline() throws Exception {
        BackendGate gate = new BackendGate("prometheus", 1);
        QueryBudget holder = budget("warning", 1, new AtomicInteger(-1));
        gate.acquire(holder);
        List<String> served = new CopyOnWriteArrayList<>();
        AtomicInteger infoBehind = new AtomicInteger(-1);
        AtomicInteger criticalBehind = new AtomicInteger(-1);
        QueryBudget info = budget("info", 2, infoBehind);
        QueryBudget critical = budget("critical", 3, criticalBehind);
        CountDownLatch done = new CountDownLatch(2);
        Thread a = new Thread(() -> take(gate, info, "info", served, done));
        a.start();
        awaitQueued(gate, 1);
        Thread b = new Thread(() -> take(gate, critical, "critical", served, done));
        b.start();
        awaitQueued(gate, 2);

        clock.addAndGet(Duration.ofSeconds(10).toNanos()); // ten seconds pass while both wait
        gate.release(holder);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(served).containsExactly("critical", "info");
        assertThat(infoBehind.get()).as("info waited behind the warning holding the slot").isEqualTo(1);
        assertThat(criticalBehind.get()).as("critical waited behind the holder only, not behind info").isEqualTo(1);
        assertThat(info.remainingNanos()).as("queued time is not running time").isEqualTo(Duration.ofSeconds(3).toNanos());
        assertThat(holder.remainingNanos()).as("the holder ran all along").isLessThanOrEqualTo(0);
        assertThat(gate.inUse()).isZero();
    }

    private static void take(BackendGate gate, QueryBudget budget, String name, List<String> served, CountDownLatch done) {
        try {
            gate.acquire(budget);
            served.add(name);
            gate.release(budget);
            done.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aSpentBudgetRefusesWithTheReasonAndTheMemoSendsARepeatOnce() throws Exception {
        BackendGates gates = new BackendGates(4, java.util.Map.of());
        QueryBudget budget = new QueryBudget(2, Duration.ofSeconds(3), 0, 1, n -> { }, clock::get);
        AtomicInteger sent = new AtomicInteger();
        try (QueryBudget.Scope scope = budget.enter()) {
            for (String q : List.of("a", "a", "b", "a")) {
                Metered.ask(gates.of("prometheus"), List.of(q), sent::incrementAndGet, MetricsSourceException::new,
                        MetricsSourceException.class);
            }
            assertThat(sent.get()).isEqualTo(2);
            assertThat(budget.asked()).isEqualTo(4);
            assertThatThrownBy(() -> Metered.ask(gates.of("prometheus"), List.of("c"), sent::incrementAndGet,
                    MetricsSourceException::new, MetricsSourceException.class))
                    .isInstanceOfSatisfying(MetricsSourceException.class, e -> {
                        assertThat(e.status()).isEqualTo(Evidence.Status.SKIPPED);
                        assertThat(e.getMessage()).isEqualTo("query budget of 2 spent");
                    });
        }
        assertThat(sent.get()).isEqualTo(2);
    }

    @Test
    void pastTheDeadlineNothingIsSent() {
        BackendGates gates = new BackendGates(4, java.util.Map.of());
        QueryBudget budget = new QueryBudget(30, Duration.ofSeconds(3), 0, 1, n -> { }, clock::get);
        clock.addAndGet(Duration.ofSeconds(3).toNanos());
        try (QueryBudget.Scope scope = budget.enter()) {
            assertThatThrownBy(() -> Metered.ask(gates.of("prometheus"), List.of("a"), () -> 1, MetricsSourceException::new,
                    MetricsSourceException.class)).hasMessage("diagnosis deadline of 3s reached");
        }
        assertThat(budget.used()).isZero();
    }
}
