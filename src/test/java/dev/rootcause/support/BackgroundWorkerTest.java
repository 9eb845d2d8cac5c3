package dev.rootcause.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

class BackgroundWorkerTest {

    private static final Logger LOG = Logger.getLogger(BackgroundWorkerTest.class);

    /** Polls until the condition holds, failing after 5 s. */
    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void wakesDuringAPassCoalesceIntoOneMorePass() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BackgroundWorker worker = new BackgroundWorker("test-worker", LOG, "testing", () -> Duration.ofSeconds(1), () -> {
            if (passes.incrementAndGet() == 1) {
                inPass.countDown();
                release.await();
            }
        });
        worker.wake();
        assertThat(inPass.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 10; i++) {
            worker.wake(); // one pass queued, the other nine coalesce into it
        }
        release.countDown();
        await(() -> passes.get() == 2);
        worker.close();
        assertThat(passes.get()).isEqualTo(2);
    }

    @Test
    void aFailingPassIsLoggedAndTheWorkerLivesOn() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        BackgroundWorker worker = new BackgroundWorker("test-worker", LOG, "testing", () -> Duration.ofSeconds(1), () -> {
            passes.incrementAndGet();
            throw new java.sql.SQLException("store down");
        });
        worker.wake();
        await(() -> passes.get() == 1);
        worker.wake();
        await(() -> passes.get() == 2);
        worker.close();
    }

    @Test
    void closeLetsThePassFinishAndLaterWakesAreIgnored() throws Exception {
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch inPass = new CountDownLatch(1);
        BackgroundWorker worker = new BackgroundWorker("test-worker", LOG, "testing", () -> Duration.ofSeconds(1), () -> {
            inPass.countDown();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // busy for a while, as a pass reading the store would be
            }
            finished.incrementAndGet();
        });
        worker.wake();
        assertThat(inPass.await(5, TimeUnit.SECONDS)).isTrue();
        worker.close();
        assertThat(finished.get()).isEqualTo(1);
        worker.wake(); // the scheduler firing once more during shutdown: no RejectedExecutionException
        assertThat(finished.get()).isEqualTo(1);
    }

    /** Records the level of every message logged through it. */
    private static final class RecordingLogger extends Logger {
        final java.util.List<Logger.Level> levels = new java.util.concurrent.CopyOnWriteArrayList<>();

        RecordingLogger() {
            super("recording");
        }

        @Override
        public boolean isEnabled(Logger.Level level) {
            return true;
        }

        @Override
        protected void doLog(Logger.Level level, String loggerClassName, Object message, Object[] parameters, Throwable thrown) {
            levels.add(level);
        }

        @Override
        protected void doLogf(Logger.Level level, String loggerClassName, String format, Object[] parameters, Throwable thrown) {
            levels.add(level);
        }
    }

    @Test
    void aPassThatFailsWhileTheApplicationStopsIsNotAnError() throws Exception {
        RecordingLogger log = new RecordingLogger();
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch storeClosed = new CountDownLatch(1);
        BackgroundWorker worker = new BackgroundWorker("test-worker", log, "testing", () -> Duration.ofSeconds(1), () -> {
            inPass.countDown();
            storeClosed.await();
            throw new java.sql.SQLException("Database is already closed");
        });
        worker.wake();
        assertThat(inPass.await(5, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(() -> {
            try {
                worker.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closer.start();
        await(worker::closing);
        storeClosed.countDown(); // the store closes under the last pass, as H2's shutdown hook did
        closer.join(TimeUnit.SECONDS.toMillis(15));
        assertThat(log.levels).containsExactly(Logger.Level.INFO);

        // the same failure while running is an error
        RecordingLogger running = new RecordingLogger();
        CountDownLatch failed = new CountDownLatch(1);
        BackgroundWorker other = new BackgroundWorker("test-worker", running, "testing", () -> Duration.ofSeconds(1), () -> {
            failed.countDown();
            throw new java.sql.SQLException("Database is already closed");
        });
        other.wake();
        assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
        await(() -> !running.levels.isEmpty());
        other.close();
        assertThat(running.levels).containsExactly(Logger.Level.ERROR);
    }
}
