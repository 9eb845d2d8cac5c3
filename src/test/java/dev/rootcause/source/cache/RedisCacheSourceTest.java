package dev.rootcause.source.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rootcause.TestClock;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.step.cache.CacheHitRatioStep;
import dev.rootcause.rule.Rule;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Contract of the Redis cache source, through the {@code cache.hit_ratio} step: success, zero traffic,
 * NOAUTH, WRONGPASS, connection refused, timeout, a dropped connection retried, nothing configured; what
 * is sent (AUTH with the configured user and password, INFO twice on one connection); and that the
 * password appears in no evidence.
 */
class RedisCacheSourceTest {

    static final String PASSWORD = "s3cret-pw-4711";
    static final Instant NOW = Instant.parse("2025-11-29T10:02:00Z");

    private final TestClock clock = new TestClock();
    private final List<Duration> pauses = new ArrayList<>();
    private FakeRedis redis;

    @AfterEach
    void close() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void twoSnapshotsGiveTheRatioAndRatesOfTheInterval() throws Exception {
        redis = new FakeRedis(FakeRedis.info(info(1000, 100, 10, 20, 3), info(1300, 200, 60, 20, 4)), 0);
        Evidence e = run(endpoint(redis.port(), Optional.of("rc-user"), Optional.of(PASSWORD), Duration.ofSeconds(2)));

        assertThat(e.status()).isEqualTo(Evidence.Status.OK);
        assertThat(e.kind()).isEqualTo("cache");
        assertThat(e.source()).isEqualTo("redis");
        assertThat(e.query()).isEqualTo("INFO redis://127.0.0.1:" + redis.port() + "/2");
        assertThat(e.windowStart()).isEqualTo(NOW);
        assertThat(e.windowEnd()).isEqualTo(NOW.plusSeconds(5));
        assertThat((double) e.values().get("hit_ratio")).isCloseTo(300.0 / 400, within(1e-12));
        assertThat(e.values()).containsEntry("lookups", 400.0).containsEntry("hits_per_second", 60.0)
                .containsEntry("misses_per_second", 20.0).containsEntry("evictions_per_second", 10.0)
                .containsEntry("expirations_per_second", 0.0).containsEntry("rejected_connections_per_second", 0.2)
                .containsEntry("interval_seconds", 5.0).containsEntry("maxmemory_policy", "allkeys-lru")
                .containsEntry("used_memory", 104857600.0).containsEntry("maxmemory", 104857600.0)
                .containsEntry("memory_used_ratio", 1.0).containsEntry("connected_clients", 7.0)
                .containsEntry("blocked_clients", 1.0).containsEntry("keys", 15.0).containsEntry("expires", 4.0)
                .containsEntry("memory", "used_memory 100.00M of maxmemory 100.00M (100%) with allkeys-lru");
        assertThat((double) e.values().get("hit_ratio_since_reset")).isCloseTo(1300.0 / 1500, within(1e-12));
        assertThat(e.values().get("summary").toString()).isEqualTo(
                "used_memory 100.00M of maxmemory 100.00M (100%) with allkeys-lru, 10 evictions/s, hit ratio 75% over 5 s between two INFO"
                        + " reads; 86.7% since the Redis server started 24 h ago (uptime_in_seconds), or its last CONFIG RESETSTAT if later");
        assertThat(e.values()).containsEntry("uptime_seconds", 86400.0);
        assertThat(pauses).containsExactly(Duration.ofSeconds(5));
        assertThat(redis.connections()).isEqualTo(1);
        assertThat(redis.commands()).contains(List.of("AUTH", "rc-user", PASSWORD))
                .as("INFO is server-wide: no SELECT, which a least-privilege user may not run")
                .noneMatch(c -> c.get(0).equalsIgnoreCase("SELECT"))
                .filteredOn(c -> c.get(0).equals("INFO")).containsExactly(List.of("INFO"), List.of("INFO"));
        assertThat(String.valueOf(e)).doesNotContain(PASSWORD);
    }

    @Test
    void noLookupsMeansNoRatioAndSaysSo() throws Exception {
        String idle = info(1000, 100, 10, 20, 0);
        redis = new FakeRedis(FakeRedis.info(idle, idle), 0);
        Evidence e = run(endpoint(redis.port(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2)));

        assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA);
        assertThat(e.reason()).contains("no keyspace lookups").contains("no hit ratio");
        assertThat((double) e.values().get("hit_ratio")).isNaN();
        assertThat(e.values()).containsEntry("lookups", 0.0).containsEntry("misses_per_second", 0.0);
        assertThat(e.values().get("summary").toString()).contains("no lookups over 5 s between two INFO reads; ");
        assertThat(redis.commands()).noneMatch(c -> c.get(0).equals("AUTH"));
    }

    @Test
    void countersThatWentBackGiveNoRates() throws Exception {
        redis = new FakeRedis(FakeRedis.info(info(1000, 100, 10, 20, 0), info(5, 1, 0, 0, 0)), 0);
        Evidence e = run(endpoint(redis.port(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2)));
        assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA);
        assertThat(e.reason()).contains("counters went back");
    }

    @Test
    void noauthIsEvidenceNamingWhatToConfigure() throws Exception {
        redis = new FakeRedis(cmd -> cmd.get(0).equals("INFO") ? "-NOAUTH Authentication required.\r\n" : "+OK\r\n", 0);
        Evidence e = run(endpoint(redis.port(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2)));

        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).contains("redis://127.0.0.1:" + redis.port()).contains("NOAUTH Authentication required")
                .contains("rootcause.sources.redis.instances");
        assertThat(e.values().get("summary").toString()).startsWith("not read: ");
        assertThat(redis.connections()).as("an auth failure is not retried").isEqualTo(1);
    }

    @Test
    void wrongPasswordIsEvidenceWithoutThePassword() throws Exception {
        redis = new FakeRedis(cmd -> cmd.get(0).equals("AUTH")
                ? "-WRONGPASS invalid username-password pair or user is disabled.\r\n" : "+OK\r\n", 0);
        Evidence e = run(endpoint(redis.port(), Optional.of("rc-user"), Optional.of(PASSWORD), Duration.ofSeconds(2)));

        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).startsWith("authentication to redis://127.0.0.1:" + redis.port() + "/2 failed")
                .contains("WRONGPASS");
        assertThat(String.valueOf(e)).doesNotContain(PASSWORD);
        assertThat(redis.commands()).contains(List.of("AUTH", "rc-user", PASSWORD));
        assertThat(redis.connections()).isEqualTo(1);
    }

    @Test
    void connectionRefusedIsEvidence() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Evidence e = run(endpoint(closed, Optional.empty(), Optional.of(PASSWORD), Duration.ofSeconds(2)));
        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).isEqualTo("connection to redis://127.0.0.1:" + closed + "/2 refused");
        assertThat(String.valueOf(e)).doesNotContain(PASSWORD);
    }

    @Test
    void aSilentServerIsATimeout() throws Exception {
        redis = new FakeRedis(cmd -> cmd.get(0).equals("INFO") ? null : "+OK\r\n", 0);
        long start = System.nanoTime();
        Evidence e = run(endpoint(redis.port(), Optional.empty(), Optional.empty(), Duration.ofMillis(300)));

        assertThat(e.status()).isEqualTo(Evidence.Status.TIMEOUT);
        assertThat(e.reason()).isEqualTo("no answer from redis://127.0.0.1:" + redis.port() + "/2 within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not retried").isLessThan(Duration.ofSeconds(2));
        assertThat(redis.connections()).isEqualTo(1);
    }

    @Test
    void aConnectionDroppedBeforeTheFirstAnswerIsRetriedOnce() throws Exception {
        redis = new FakeRedis(FakeRedis.info(info(1000, 100, 0, 0, 0), info(1100, 100, 0, 0, 0)), 1);
        Evidence e = run(endpoint(redis.port(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2)));
        assertThat(e.status()).isEqualTo(Evidence.Status.OK);
        assertThat(e.values()).containsEntry("hit_ratio", 1.0);
        assertThat(redis.connections()).isEqualTo(2);
    }

    @Test
    void aServiceWithoutAnInstanceIsSkippedNotAnError() {
        RedisCacheSource source = new RedisCacheSource(Map.of(), clock, pauses::add);
        Evidence e = new CacheHitRatioStep(source).run(step(), alert(), Map.of("service", "cache-x"), Map.of());
        assertThat(e.status()).isEqualTo(Evidence.Status.SKIPPED);
        assertThat(e.reason()).isEqualTo("no Redis instance configured for service cache-x"
                + " (rootcause.sources.redis.instances.cache-x.url)");
        assertThat(e.query()).isNull();
    }

    private Evidence run(RedisEndpoint endpoint) {
        clock.set(NOW);
        RedisCacheSource source = new RedisCacheSource(Map.of("cache-a", endpoint), clock, d -> {
            pauses.add(d);
            clock.advance(d);
        });
        return new CacheHitRatioStep(source).run(step(), alert(), Map.of("service", "cache-a"), Map.of());
    }

    static RedisEndpoint endpoint(int port, Optional<String> user, Optional<String> password, Duration timeout) {
        return RedisEndpoint.of("redis://127.0.0.1:" + port + "/2", user, password, timeout);
    }

    static Rule.Step step() {
        return new Rule.Step("redis", "cache.hit_ratio", List.of(), Map.of("service", "$service", "interval", "5s"), null);
    }

    static AlertContext alert() {
        return new AlertContext("test", Map.of("service", "cache-a"), Map.of(), NOW.minusSeconds(120), NOW);
    }

    /** An INFO answer as Redis 7 writes it (CRLF, sections, values with colons), with these counters. */
    static String info(long hits, long misses, long evicted, long expired, long rejected) {
        return String.join("\r\n", "# Server", "redis_version:7.0.15", "uptime_in_seconds:86400",
                "executable:/usr/bin/redis-server", "config_file:", "", "# Clients", "connected_clients:7",
                "blocked_clients:1", "", "# Memory", "used_memory:104857600", "used_memory_human:100.00M",
                "maxmemory:104857600", "maxmemory_human:100.00M", "maxmemory_policy:allkeys-lru", "", "# Stats",
                "rejected_connections:" + rejected, "expired_keys:" + expired, "evicted_keys:" + evicted,
                "keyspace_hits:" + hits, "keyspace_misses:" + misses, "", "# Keyspace",
                "db0:keys=10,expires=3,avg_ttl=4000", "db2:keys=5,expires=1,avg_ttl=0", "");
    }
}
