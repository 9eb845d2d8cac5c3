package dev.rootcause.incident;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pass of work run on one daemon thread when woken. Wakes while a pass is queued coalesce into it, and
 * passes never overlap, so a burst of wakes costs one pass, and one that arrives mid-pass one more.
 */
public final class BackgroundPass implements AutoCloseable {

    private final Runnable pass;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ExecutorService thread;

    public BackgroundPass(String threadName, Runnable pass) {
        this.pass = pass;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a pass unless one is already queued; returns at once. */
    public void wake() {
        if (queued.compareAndSet(false, true)) {
            thread.execute(() -> {
                queued.set(false);
                pass.run();
            });
        }
    }

    /** Lets the pass under way finish (up to 10 s) and stops the thread. */
    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }
}
