package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.step.cache.CacheHitRatioStep;
import dev.rootcause.rule.Rule;
import dev.rootcause.source.cache.RedisCacheSource;
import dev.rootcause.source.cache.RedisEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * {@code cache.hit_ratio} against a real redis-server this test starts on its own loopback port (stopped
 * by its exact process handle): the ratio and rates it reports must be the traffic the test made, and
 * Redis' own NOAUTH / WRONGPASS answers must become evidence. No fixture stands in for Redis.
 */
class RedisHitRatioIT {

    private static Process server;
    private static int port;
    private static Path dir;

    @BeforeAll
    static void startRedis() throws Exception {
        dir = Files.createTempDirectory("rootcause-redis-it");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try {
            server = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(port), "--save", "",
                    "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("redis-server is not installed (Debian package redis-server; .ci/run installs it): "
                    + e.getMessage(), e);
        }
        try {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> {
                        if (!server.isAlive()) {
                            throw new AssertionError("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
                        }
                        try (Jedis j = new Jedis("127.0.0.1", port)) {
                            return "PONG".equals(j.ping());
                        }
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("redis-server did not answer PING on port " + port + " within 15 s: "
                    + Files.readString(dir.resolve("redis.log")), e);
        }
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void ratioAndRatesAreTheTrafficMadeBetweenTheSnapshots() {
        try (Jedis client = new Jedis("127.0.0.1", port)) {
            client.flushAll();
            for (int i = 0; i < 100; i++) {
                client.set("user:" + i, "v" + i);
            }
            // The pause between the two INFO snapshots is where the traffic happens: 300 hits, 100 misses.
            Evidence e = run(endpoint(Optional.empty()), d -> {
                for (int i = 0; i < 400; i++) {
                    client.get(i % 4 == 3 ? "missing:" + i : "user:" + (i % 100));
                }
            });
            assertThat(e.status()).as(e.reason()).isEqualTo(Evidence.Status.OK);
            assertThat(e.values()).containsEntry("hit_ratio", 0.75).containsEntry("lookups", 400.0)
                    .containsEntry("evictions_per_second", 0.0).containsEntry("keys", 100.0)
                    .containsEntry("maxmemory_policy", "noeviction");
            double seconds = (double) e.values().get("interval_seconds");
            assertThat((double) e.values().get("misses_per_second") * seconds).isCloseTo(100.0, within(1e-6));
            assertThat((double) e.values().get("hits_per_second") * seconds).isCloseTo(300.0, within(1e-6));
            assertThat(e.query()).isEqualTo("INFO redis://127.0.0.1:" + port + "/0");
            System.out.printf("IT cache.hit_ratio exact: %s%n", e.values());
        }
    }

    @Test
    void penetrationTrafficMeasuredOverARealInterval() {
        // CacheTraffic's penetration asks for a cached key once in 20 lookups: a hit ratio of 5%.
        try (CacheTraffic traffic = new CacheTraffic(port, CacheTraffic.Scenario.PENETRATION, Duration.ZERO).start()) {
            Evidence e = run(endpoint(Optional.empty()), d -> Thread.sleep(d.toMillis()));
            assertThat(e.status()).as(e.reason()).isEqualTo(Evidence.Status.OK);
            assertThat((double) e.values().get("hit_ratio")).isCloseTo(0.05, within(0.02));
            assertThat((double) e.values().get("lookups")).isGreaterThan(100.0);
            assertThat((double) e.values().get("interval_seconds")).isCloseTo(2.0, within(0.5));
            System.out.printf("IT cache.hit_ratio penetration over %.3f s: %s%n", e.values().get("interval_seconds"), e.values());
        }
    }

    @Test
    void aFullCacheShowsUsedMemoryAtMaxmemoryWithItsPolicy() {
        try (Jedis client = new Jedis("127.0.0.1", port)) {
            client.flushAll();
            client.configSet("maxmemory", "4mb");
            client.configSet("maxmemory-policy", "allkeys-lru");
            try {
                String blob = "x".repeat(4096);
                Evidence e = run(endpoint(Optional.empty()), d -> {
                    for (int i = 0; i < 3000; i++) {
                        client.set("blob:" + i, blob);
                        client.get("blob:" + (i / 2));
                    }
                });
                assertThat(e.status()).as(e.reason()).isEqualTo(Evidence.Status.OK);
                assertThat((double) e.values().get("evictions_per_second")).isPositive();
                assertThat((double) e.values().get("memory_used_ratio")).isGreaterThan(0.8);
                assertThat(e.values()).containsEntry("maxmemory", 4194304.0).containsEntry("maxmemory_policy", "allkeys-lru");
                assertThat(e.values().get("memory").toString()).contains("of maxmemory 4.00M").endsWith("with allkeys-lru");
                System.out.printf("IT cache.hit_ratio full cache: %s%n", e.values().get("summary"));
            } finally {
                client.configSet("maxmemory", "0");
                client.configSet("maxmemory-policy", "noeviction");
            }
        }
    }

    @Test
    void redisOwnAuthAnswersBecomeEvidence() {
        String password = "it-pass-" + System.nanoTime();
        try (Jedis admin = new Jedis("127.0.0.1", port)) {
            admin.configSet("requirepass", password);
            try {
                Evidence noauth = run(endpoint(Optional.empty()), d -> { });
                assertThat(noauth.status()).isEqualTo(Evidence.Status.ERROR);
                assertThat(noauth.reason()).contains("NOAUTH");

                Evidence wrong = run(endpoint(Optional.of("not-" + password)), d -> { });
                assertThat(wrong.status()).isEqualTo(Evidence.Status.ERROR);
                assertThat(wrong.reason()).contains("WRONGPASS").doesNotContain(password);

                Evidence ok = run(endpoint(Optional.of(password)), d -> { });
                assertThat(ok.status()).as(ok.reason()).isIn(Evidence.Status.OK, Evidence.Status.NO_DATA);
                assertThat(String.valueOf(ok)).doesNotContain(password);

                // the least privilege docs/sources.md recommends: a user that may run INFO and nothing else
                admin.auth(password);
                admin.aclSetUser("rootcause-it", "on", ">" + password, "-@all", "+info");
                Evidence least = run(RedisEndpoint.of("redis://127.0.0.1:" + port + "/3", Optional.of("rootcause-it"),
                        Optional.of(password), Duration.ofSeconds(2)), d -> { });
                assertThat(least.status()).as(least.reason()).isIn(Evidence.Status.OK, Evidence.Status.NO_DATA);
                assertThat(least.values()).containsKey("used_memory");
            } finally {
                admin.auth(password);
                admin.aclDelUser("rootcause-it");
                admin.configSet("requirepass", "");
            }
        }
    }

    private RedisEndpoint endpoint(Optional<String> password) {
        return RedisEndpoint.of("redis://127.0.0.1:" + port, Optional.empty(), password, Duration.ofSeconds(2));
    }

    private static Evidence run(RedisEndpoint endpoint, RedisCacheSource.Pause pause) {
        RedisCacheSource source = new RedisCacheSource(Map.of("cache-it", endpoint), Clock.systemUTC(), pause);
        Rule.Step step = new Rule.Step("redis", "cache.hit_ratio", List.of(), Map.of("service", "$service", "interval", "2s"), null);
        Instant now = Instant.now();
        return new CacheHitRatioStep(source).run(step, new AlertContext("it", Map.of(), Map.of(), now, now),
                Map.of("service", "cache-it"), Map.of());
    }
}
