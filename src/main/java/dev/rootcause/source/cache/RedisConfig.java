package dev.rootcause.source.cache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Redis instances read directly ({@code INFO}) for the cache steps, under {@code rootcause.sources.redis}. */
@ConfigMapping(prefix = "rootcause.sources.redis")
public interface RedisConfig {

    /** Per service (the alert's {@code service} label): the Redis instance that is its cache. */
    Map<String, Instance> instances();

    /** One Redis instance. */
    interface Instance {

        /**
         * {@code redis://host:port/db} (db optional, default 0; port default 6379), or {@code rediss://} for
         * TLS (the JVM's trust store). A {@code user:password@} part is accepted but {@link #password()} is
         * better: it can come from an environment variable. Neither is ever logged or shown in evidence.
         */
        String url();

        /** ACL user (Redis 6+); unset logs in as {@code default}. */
        Optional<String> username();

        /** Password ({@code AUTH}); unset sends no {@code AUTH}. Never logged. */
        Optional<String> password();

        /** Connect and read timeout per command; an instance slower than this is evidence with status {@code timeout}. */
        @WithDefault("2s")
        Duration timeout();
    }
}
