package dev.rootcause.incident.pipeline;

import dev.rootcause.incident.Notification;
import dev.rootcause.incident.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.jboss.logging.Logger;

/**
 * Group commit for intake: the bodies of concurrent requests are inserted in one transaction by one
 * thread, and each caller is answered only after that transaction committed. One commit (H2: one
 * MVStore chunk written; PostgreSQL: one WAL flush) then serves every request that arrived while the
 * previous commit ran, instead of one commit per request. Nothing is acknowledged before its commit,
 * so a {@code kill -9} after a {@code 202} still loses nothing.
 *
 * <p>A batch is whatever is queued when the writer thread is free, at most {@link #MAX_BATCH} bodies
 * or {@link #MAX_BATCH_BYTES} bytes (one oversized body still goes alone). A batch whose commit fails
 * fails every caller in it with the {@link StoreException} (intake answers 503, the senders retry).
 * Copies of one delivery in a batch are stored once; the writer itself skips a body whose dedup key is
 * already stored (by an earlier batch or another replica).
 */
public final class DeliveryGroupCommit implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeliveryGroupCommit.class);

    /** Most bodies per transaction: enough for every worker thread's request at once. */
    static final int MAX_BATCH = 256;
    /** Most body bytes per transaction (16 MiB): bounds the memory a batch holds in the driver. */
    static final long MAX_BATCH_BYTES = 16L << 20;

    /** A body to store, with its {@link Notification#dedupKey()}. */
    public record Body(Notification notification, String dedupKey, byte[] bytes) {
    }

    /**
     * Stores a batch in one transaction of its own (not the caller's) and commits it before returning;
     * the store implements it (one multi-row insert per batch).
     */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param bodies at least one, with distinct dedup keys
         * @return dedup key → new row id for each body stored; a body whose dedup key was already stored
         *         is absent
         * @throws StoreException when the batch was not committed (it was rolled back)
         */
        Map<String, Long> insertCommitted(List<Body> bodies);
    }

    private record Pending(Body body, CompletableFuture<OptionalLong> result) {
    }

    private final Writer writer;
    private final Duration answerTimeout;
    private final IntConsumer committed;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;

    /**
     * @param answerTimeout how long a caller waits for its commit before it gets a failure (the body
     *                      may still be stored; the sender's retry is then a duplicate)
     */
    public DeliveryGroupCommit(Writer writer, Duration answerTimeout) {
        this(writer, answerTimeout, n -> { });
    }

    /**
     * @param committed told the number of bodies after each successful commit (for the batch-size metric)
     */
    public DeliveryGroupCommit(Writer writer, Duration answerTimeout, IntConsumer committed) {
        this.writer = writer;
        this.answerTimeout = answerTimeout;
        this.committed = committed;
        this.thread = new Thread(this::run, "rootcause-intake-commit");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a body for the next group commit and waits until it is committed.
     *
     * @param dedupKey {@link Notification#dedupKey()}, computed by the caller's thread
     * @return the stored delivery's id, or empty when it is a duplicate (stored before, or earlier in
     *         the same batch)
     * @throws StoreException when the commit failed, the wait timed out, or the service is stopping; the
     *                        caller must not acknowledge the body
     */
    public OptionalLong append(Notification n, String dedupKey, byte[] body) {
        if (closing) {
            throw new StoreException("intake is stopping", null);
        }
        Pending p = new Pending(new Body(n, dedupKey, body), new CompletableFuture<>());
        queue.add(p);
        try {
            return p.result().get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException s ? s : new StoreException("storing the delivery failed", e.getCause());
        } catch (TimeoutException e) {
            throw new StoreException("the store did not commit within " + answerTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the commit", e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long bytes = first.body().bytes().length;
                Pending next;
                while (batch.size() < MAX_BATCH && bytes < MAX_BATCH_BYTES && (next = queue.peek()) != null
                        && bytes + next.body().bytes().length <= MAX_BATCH_BYTES) {
                    batch.add(queue.poll());
                    bytes += next.body().bytes().length;
                }
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "intake group commit failed unexpectedly");
                batch.forEach(p -> p.result().completeExceptionally(new StoreException("storing the delivery failed", e)));
            } finally {
                batch.clear();
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new StoreException("intake is stopping", null));
        }
    }

    /** One transaction for the batch; callers are completed only after it committed or failed. */
    private void commit(List<Pending> batch) {
        // a copy in the same batch (HA peers' deliveries arriving together) is a duplicate of the first
        Map<String, Pending> first = new LinkedHashMap<>();
        batch.forEach(p -> first.putIfAbsent(p.body().dedupKey(), p));
        Map<String, Long> ids;
        try {
            ids = writer.insertCommitted(first.values().stream().map(Pending::body).toList());
        } catch (StoreException e) {
            LOG.errorf(e, "storing %d deliveries failed; answering each sender 503", batch.size());
            batch.forEach(p -> p.result().completeExceptionally(e));
            return;
        }
        committed.accept(batch.size());
        for (Pending p : batch) {
            Long id = first.get(p.body().dedupKey()) == p ? ids.get(p.body().dedupKey()) : null;
            p.result().complete(id == null ? OptionalLong.empty() : OptionalLong.of(id));
        }
    }

    /** Bodies waiting for the next commit (not counting the batch being written). */
    int queued() {
        return queue.size();
    }

    /** Stores what is queued, then stops the thread (waits up to 10 s). */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        thread.join(10_000);
    }
}
