package dev.rootcause.e2e;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Client traffic against one real Redis: a warm phase of hits on cached keys, then one of three
 * behaviours. Paced at ~300 commands/s from one thread.
 */
final class CacheTraffic implements AutoCloseable {

    /** What the client does after the warm phase. */
    enum Scenario {
        /** keeps hitting cached keys */
        HITS_ONLY,
        /** asks for keys that never existed (and does not cache the miss) */
        PENETRATION,
        /** every cached key gets a 1 s TTL at once; the client re-caches misses with the same TTL */
        MASS_EXPIRY
    }

    static final int KEYS = 1000;
    static final int OPS_PER_TICK = 3;
    static final Duration TICK = Duration.ofMillis(10);

    private final Jedis redis;
    private final Scenario scenario;
    private final long switchAtNanos;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong ops = new AtomicLong();
    private volatile boolean switched;
    private volatile Throwable failure;
    private volatile Consumer<String> onMiss = key -> { };

    CacheTraffic(int port, Scenario scenario, Duration warm) {
        this.redis = new Jedis("127.0.0.1", port);
        this.scenario = scenario;
        this.switchAtNanos = System.nanoTime() + warm.toNanos();
        redis.flushAll();
        redis.configResetStat();
        for (int i = 0; i < KEYS; i++) {
            redis.set(key(i), "value-" + i);
        }
    }

    /** Called (from the traffic thread) with each key a GET missed, as the client's "cache miss" log line would be. */
    CacheTraffic onMiss(Consumer<String> listener) {
        this.onMiss = listener;
        return this;
    }

    CacheTraffic start() {
        timer.scheduleAtFixedRate(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Whether the scenario's own phase has begun. */
    boolean switched() {
        return switched;
    }

    private void tick() {
        try {
            if (!switched && System.nanoTime() >= switchAtNanos) {
                switched = true;
                if (scenario == Scenario.MASS_EXPIRY) {
                    for (int i = 0; i < KEYS; i++) {
                        redis.expire(key(i), 1);
                    }
                }
            }
            for (int k = 0; k < OPS_PER_TICK; k++) {
                long n = ops.incrementAndGet();
                String key = key((int) (n % KEYS));
                if (!switched || scenario == Scenario.HITS_ONLY) {
                    get(key);
                } else if (scenario == Scenario.PENETRATION) {
                    get(n % 20 == 0 ? key : "missing:" + n);
                } else if (get(key) == null) {
                    redis.set(key, "value", SetParams.setParams().ex(1));
                }
            }
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    private String get(String key) {
        String value = redis.get(key);
        if (value == null) {
            onMiss.accept(key);
        }
        return value;
    }

    /** Lets the tick under way finish (shutdownNow would interrupt it mid-command), then closes Redis. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Throwable seen = failure;
        redis.close();
        if (seen != null) {
            throw new IllegalStateException("traffic generator failed", seen);
        }
    }

    private static String key(int i) {
        return "user:" + i;
    }
}
