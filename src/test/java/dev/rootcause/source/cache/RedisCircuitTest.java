package dev.rootcause.source.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rootcause.diagnosis.port.CacheSourceException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service's Redis that keeps failing is not asked again while its circuit is open; other caches are not affected. */
@QuarkusTest
@TestProfile(RedisCircuitTest.DeadRedis.class)
class RedisCircuitTest {

    /** Two caches on loopback port 1, where nothing listens: every sample is "connection refused". */
    public static class DeadRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rootcause.sources.redis.instances.cache-dead.url", "redis://127.0.0.1:1",
                    "rootcause.sources.redis.instances.cache-other.url", "redis://127.0.0.1:1");
        }
    }

    @Inject
    RedisCacheSource redis;

    @Test
    void fiveFailedSamplesInARowOpenTheCircuitOfThatCacheOnly() {
        for (int i = 0; i < RedisCacheSource.CIRCUIT_FAILURES; i++) {
            CacheSourceException e = catchThrowableOfType(CacheSourceException.class, () -> redis.sample("cache-dead", Duration.ofMillis(1)));
            assertThat(e.getMessage()).isEqualTo("connection to redis://127.0.0.1:1/0 refused");
        }
        CacheSourceException open = catchThrowableOfType(CacheSourceException.class, () -> redis.sample("cache-dead", Duration.ofMillis(1)));
        assertThat(open.getMessage()).isEqualTo("Redis redis://127.0.0.1:1/0 not asked: its last 5 samples failed (circuit open for 30 s)");
        // the other cache has its own circuit, still closed: it is asked and fails on its own
        CacheSourceException other = catchThrowableOfType(CacheSourceException.class, () -> redis.sample("cache-other", Duration.ofMillis(1)));
        assertThat(other.getMessage()).isEqualTo("connection to redis://127.0.0.1:1/0 refused");
    }
}
