package dev.rootcause.support;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A pass of background work on one daemon thread, run when woken: by its owner when new work arrives and
 * by the owner's poll (a Quarkus {@code @Scheduled} method calling {@link #wake()} every interval), which
 * picks up work left by a crash or by another replica. Wakes while a pass is queued coalesce into it and
 * passes never overlap, so a burst of wakes costs one pass, and one that arrives mid-pass one more.
 *
 * <p>A pass that throws is logged ({@code <doing> failed; retrying in <interval>}) and the worker lives on:
 * the next wake runs it again. {@link #close()} at shutdown lets the pass under way finish; wakes after it
 * are ignored (the scheduler may still fire once while the application stops).
 *
 * <p>Why not the scheduler alone: work must start at once when it arrives, not at the next tick, and a
 * long pass must not hold a scheduler thread. Why not {@code ManagedExecutor}: it is shared with requests,
 * and a single thread is what keeps passes from overlapping without locks.
 */
public final class BackgroundWorker implements AutoCloseable {

    /** One pass; may throw, the worker logs it and runs again on the next wake. */
    @FunctionalInterface
    public interface Pass {
        void run() throws Exception;
    }

    /** How long {@link #close()} waits for the pass under way (well inside Quarkus' 30 s shutdown timeout). */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final Logger log;
    private final String doing;
    private final Supplier<Duration> interval;
    private final Pass pass;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ExecutorService thread;
    private volatile boolean closed;

    /**
     * Starts no thread yet (the first wake does).
     *
     * @param threadName e.g. {@code rootcause-outbox}
     * @param log        the owner's logger, so failures keep the owner's category
     * @param doing      what a pass does, for the failure line, e.g. {@code reading the outbox}
     * @param interval   the owner's poll interval, only named in the failure line
     * @param pass       the work
     */
    public BackgroundWorker(String threadName, Logger log, String doing, Supplier<Duration> interval, Pass pass) {
        this.log = log;
        this.doing = doing;
        this.interval = interval;
        this.pass = pass;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a pass unless one is already queued or the worker is closed; returns at once. */
    public void wake() {
        if (closed || !queued.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(this::runPass);
        } catch (RejectedExecutionException closing) {
            queued.set(false); // closed between the check and here
        }
    }

    private void runPass() {
        queued.set(false);
        try {
            pass.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (closed) {
                // the application is stopping: the store may already be closing under the last pass; its work
                // stays where it was (pending, claimed with a lease) and the next start or another replica takes it
                log.infof("%s stopped by the shutdown: %s", doing, e.getMessage());
            } else {
                log.errorf(e, "%s failed; retrying in %s", doing, interval.get());
            }
        }
    }

    /** True once {@link #close()} began (the application is stopping). */
    boolean closing() {
        return closed;
    }

    /** Ignores further wakes, lets the pass under way finish (up to {@link #STOP_WAIT}) and stops the thread. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.shutdown();
        if (!thread.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warnf("%s still running after %s at shutdown; abandoned", doing, STOP_WAIT);
        }
    }
}
