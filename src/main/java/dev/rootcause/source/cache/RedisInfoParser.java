package dev.rootcause.source.cache;

import dev.rootcause.diagnosis.port.CacheInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the text of Redis {@code INFO} (https://redis.io/docs/latest/commands/info/): lines end in CRLF
 * (a bare LF is accepted too), {@code # Section} lines start a section, every other non-empty line is
 * {@code field:value} split at the FIRST colon, because values may hold colons
 * ({@code executable:/usr/bin/redis-server}, {@code config_file:} with an empty value,
 * {@code errorstat_ERR:count=3}). Keyspace lines ({@code db0:keys=12,expires=3,avg_ttl=4000}) are also
 * read into {@link CacheInfo.Keyspace}. Lines without a colon are ignored, as Redis adds fields over versions.
 */
public final class RedisInfoParser {

    private static final Pattern DB = Pattern.compile("db\\d+");

    private RedisInfoParser() {
    }

    /** @param at when the text was read */
    public static CacheInfo parse(String text, Instant at) {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, CacheInfo.Keyspace> keyspace = new LinkedHashMap<>();
        for (String raw : text.split("\r?\n|\r")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String field = line.substring(0, colon);
            String value = line.substring(colon + 1);
            fields.put(field, value);
            if (DB.matcher(field).matches()) {
                keyspace.put(field, keyspace(value));
            }
        }
        return new CacheInfo(at, fields, keyspace);
    }

    /** {@code keys=12,expires=3,avg_ttl=4000[,subexpiry=0]}: unknown or malformed parts count as 0. */
    private static CacheInfo.Keyspace keyspace(String value) {
        Map<String, Long> parts = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                try {
                    parts.put(part.substring(0, eq).strip(), Long.parseLong(part.substring(eq + 1).strip()));
                } catch (NumberFormatException e) {
                    // a field a later Redis writes differently: leave it out rather than fail the snapshot
                }
            }
        }
        return new CacheInfo.Keyspace(parts.getOrDefault("keys", 0L), parts.getOrDefault("expires", 0L),
                parts.getOrDefault("avg_ttl", 0L));
    }
}
