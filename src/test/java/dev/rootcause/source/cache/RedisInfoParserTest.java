package dev.rootcause.source.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.port.CacheInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** INFO as Redis writes it: the shared fixture, a real Redis 7.0 answer, and the awkward lines. */
class RedisInfoParserTest {

    static final Instant AT = Instant.parse("2025-11-29T10:00:00Z");

    @Test
    void sharedStatsFixture() throws Exception {
        CacheInfo info = RedisInfoParser.parse(Files.readString(Path.of("src/test/resources/redis/redis-info-stats.txt")), AT);
        assertThat(info.number("keyspace_hits")).isEqualTo(1843092211d);
        assertThat(info.number("keyspace_misses")).isEqualTo(392018733d);
        assertThat(info.number("evicted_keys")).isEqualTo(1284412d);
        assertThat(info.number("expired_keys")).isEqualTo(611204877d);
        assertThat(info.number("rejected_connections")).isEqualTo(37d);
        assertThat(info.number("instantaneous_input_kbps")).isEqualTo(5123.41);
        assertThat(info.fields()).doesNotContainKey("# Stats").allSatisfy((k, v) -> assertThat(v).doesNotContain("\r"));
        assertThat(info.at()).isEqualTo(AT);
    }

    @Test
    void realRedis70Answer() throws Exception {
        CacheInfo info = RedisInfoParser.parse(Files.readString(Path.of("src/test/resources/redis/redis-7.0-info-full.txt")), AT);
        assertThat(info.text("redis_version", null)).isEqualTo("7.0.15");
        assertThat(info.text("executable", null)).isEqualTo("/redis-server");
        assertThat(info.text("config_file", null)).isEmpty();
        assertThat(info.text("maxmemory_policy", null)).isEqualTo("noeviction");
        assertThat(info.text("os", null)).startsWith("Linux ");
        assertThat(info.text("monotonic_clock", null)).isEqualTo("POSIX clock_gettime");
        assertThat(info.number("maxmemory")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r\n", "\n"})
    void valuesWithColonsKeyspaceLinesAndHeaders(String eol) {
        String text = String.join(eol, "# Server", "executable:/usr/bin/redis-server", "config_file:",
                "rdb_last_load_keys_expired:0", "run_id:ab:cd", "", "# Errorstats", "errorstat_ERR:count=3",
                "not a field", "# Keyspace", "db0:keys=1203,expires=17,avg_ttl=86399000,subexpiry=0", "db15:keys=2,expires=0,avg_ttl=0",
                "dbx:keys=1", "");
        CacheInfo info = RedisInfoParser.parse(text, AT);
        assertThat(info.fields()).containsEntry("executable", "/usr/bin/redis-server").containsEntry("config_file", "")
                .containsEntry("run_id", "ab:cd").containsEntry("errorstat_ERR", "count=3")
                .doesNotContainKeys("# Server", "not a field");
        assertThat(info.keyspace()).containsOnlyKeys("db0", "db15");
        assertThat(info.keyspace().get("db0")).isEqualTo(new CacheInfo.Keyspace(1203, 17, 86399000));
        assertThat(info.keyspace().get("db15")).isEqualTo(new CacheInfo.Keyspace(2, 0, 0));
        assertThat(info.number("config_file")).isNaN();
        assertThat(info.number("absent")).isNaN();
    }
}
