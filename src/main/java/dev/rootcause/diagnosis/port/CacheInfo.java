package dev.rootcause.diagnosis.port;

import java.time.Instant;
import java.util.Map;

/**
 * One Redis {@code INFO} snapshot, parsed.
 *
 * @param at       when the answer was read (the diagnosis clock)
 * @param fields   {@code field -> value} as Redis wrote them, every section merged (e.g.
 *                 {@code keyspace_hits -> "1843092211"}, {@code maxmemory_policy -> "allkeys-lru"},
 *                 {@code executable -> "/usr/bin/redis-server"})
 * @param keyspace {@code db0 -> {keys, expires, avg_ttl}} from the {@code # Keyspace} section
 */
public record CacheInfo(Instant at, Map<String, String> fields, Map<String, Keyspace> keyspace) {

    public CacheInfo {
        fields = Map.copyOf(fields);
        keyspace = Map.copyOf(keyspace);
    }

    /** One keyspace line ({@code db0:keys=12,expires=3,avg_ttl=4000}); {@code avgTtlMillis} in milliseconds. */
    public record Keyspace(long keys, long expires, long avgTtlMillis) {
    }

    /** A numeric field as a double; NaN when absent or not a number. */
    public double number(String field) {
        String v = fields.get(field);
        if (v == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** A field as text; {@code fallback} when absent. */
    public String text(String field, String fallback) {
        return fields.getOrDefault(field, fallback);
    }
}
