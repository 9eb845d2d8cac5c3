package dev.rootcause.diagnosis.step.cache;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.CacheInfo;
import dev.rootcause.diagnosis.port.CacheSource;
import dev.rootcause.diagnosis.port.CacheSourceException;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.rule.CauseTemplate;
import dev.rootcause.rule.Durations;
import dev.rootcause.rule.Rule;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cache.hit_ratio}: the cache's own counters, read directly ({@link CacheSource}, Redis {@code INFO})
 * twice, {@code interval} apart. {@code with}: {@code service} (the cache's service name, usually
 * {@code $service}), {@code interval} (default {@code 5s}, at most {@code 1m}; the step's timeout must
 * cover it).
 *
 * <p>Values (doubles unless said): {@code hit_ratio} (hits / (hits + misses) between the two snapshots; NaN
 * when there were no lookups, and the evidence is then {@code no_data}), {@code lookups},
 * {@code hits_per_second}, {@code misses_per_second}, {@code evictions_per_second},
 * {@code expirations_per_second}, {@code rejected_connections_per_second}, {@code interval_seconds},
 * {@code hit_ratio_since_reset} (INFO's {@code keyspace_hits} / {@code keyspace_misses} count from the server's start or
 * its last {@code CONFIG RESETSTAT}, whichever came later; NaN without lookups), {@code since_reset} (text: that
 * window as far as INFO tells it: "since the Redis server started 3 h ago (uptime_in_seconds), or its last CONFIG
 * RESETSTAT if later"; INFO does not say when a RESETSTAT ran), {@code uptime_seconds},
 * {@code used_memory} and {@code maxmemory} (bytes; maxmemory 0 means no limit), {@code memory_used_ratio}
 * (NaN without a limit), {@code maxmemory_policy} (text), {@code memory} (text: "used_memory 1.00G of
 * maxmemory 1.00G (100%) with allkeys-lru"), {@code connected_clients}, {@code blocked_clients},
 * {@code evicted_keys} and {@code expired_keys} (totals), {@code keys} and {@code expires} (all databases),
 * {@code summary} (text for a cause: memory, evictions/s, hit ratio; when Redis could not be read,
 * "not read: " and why, so a cause citing it stays readable).
 * Counters that went back between the snapshots (a restart, {@code CONFIG RESETSTAT}) make it {@code no_data}.
 */
public class CacheHitRatioStep implements StepRunner {

    /** The longest wait between snapshots: the step's default timeout is 30 s and a diagnosis should not stall. */
    static final Duration MAX_INTERVAL = Duration.ofMinutes(1);
    private static final Pattern VAR = Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)");

    private final CacheSource cache;

    public CacheHitRatioStep(CacheSource cache) {
        this.cache = cache;
    }

    @Override
    public String type() {
        return "cache.hit_ratio";
    }

    @Override
    public String kind() {
        return "cache";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String d : List.of("hit_ratio", "lookups", "hits_per_second", "misses_per_second", "evictions_per_second",
                "expirations_per_second", "rejected_connections_per_second", "interval_seconds", "hit_ratio_since_reset",
                "used_memory", "maxmemory", "memory_used_ratio", "connected_clients", "blocked_clients", "evicted_keys",
                "expired_keys", "keys", "expires")) {
            out.put(d, 0.0);
        }
        out.put("uptime_seconds", 0.0);
        out.put("maxmemory_policy", "");
        out.put("since_reset", "");
        out.put("memory", "");
        out.put("summary", "");
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        StepParams.keys(with, Set.of("service", "interval"), Set.of("service"));
        StepParams.duration(with, "interval");
        if (with.get("interval") != null && Durations.parse(String.valueOf(with.get("interval"))).compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("interval: at most " + Durations.format(MAX_INTERVAL));
        }
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        String service = fill(String.valueOf(step.with().get("service")), vars);
        Object i = step.with().get("interval");
        Duration interval = Durations.parse(i == null ? "5s" : String.valueOf(i));
        String query = cache.describe(service);
        CacheSource.Samples samples;
        try {
            samples = cache.sample(service, interval);
        } catch (CacheSourceException e) {
            return new Evidence(step.id(), type(), kind(), cache.name(), query, null, null, e.status(), e.getMessage(),
                    Map.of("summary", "not read: " + e.getMessage()), null, List.of(recorded(service, query, e)));
        }
        CacheInfo a = samples.first();
        CacheInfo b = samples.second();
        double seconds = Duration.between(a.at(), b.at()).toMillis() / 1000.0;
        if (seconds <= 0) {
            seconds = interval.toMillis() / 1000.0;
        }
        double hits = b.number("keyspace_hits") - a.number("keyspace_hits");
        double misses = b.number("keyspace_misses") - a.number("keyspace_misses");
        double lookups = hits + misses;
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("hit_ratio", lookups > 0 ? hits / lookups : Double.NaN);
        values.put("lookups", lookups);
        values.put("hits_per_second", hits / seconds);
        values.put("misses_per_second", misses / seconds);
        values.put("evictions_per_second", (b.number("evicted_keys") - a.number("evicted_keys")) / seconds);
        values.put("expirations_per_second", (b.number("expired_keys") - a.number("expired_keys")) / seconds);
        values.put("rejected_connections_per_second",
                (b.number("rejected_connections") - a.number("rejected_connections")) / seconds);
        values.put("interval_seconds", seconds);
        values.putAll(snapshot(b));
        values.put("summary", values.get("memory") + String.format(Locale.ROOT, ", %s evictions/s, ",
                CauseTemplate.format(values.get("evictions_per_second"), "num"))
                + (lookups > 0 ? "hit ratio " + CauseTemplate.format(hits / lookups, "pct") : "no lookups")
                + " over " + CauseTemplate.format(seconds, "num") + " s between two INFO reads"
                + (values.get("hit_ratio_since_reset") instanceof Double r && !r.isNaN()
                        ? "; " + CauseTemplate.format(r, "pct") + " " + values.get("since_reset") : ""));
        Evidence.Status status = Evidence.Status.OK;
        String reason = null;
        if (hits < 0 || misses < 0 || b.number("uptime_in_seconds") < a.number("uptime_in_seconds")) {
            status = Evidence.Status.NO_DATA;
            reason = "counters went back between the two INFO snapshots (restart or CONFIG RESETSTAT): no rates";
        } else if (Double.isNaN(lookups)) {
            status = Evidence.Status.NO_DATA;
            reason = "INFO has no keyspace_hits/keyspace_misses";
        } else if (lookups == 0) {
            status = Evidence.Status.NO_DATA;
            reason = "no keyspace lookups in the " + Durations.format(interval)
                    + " between the two INFO snapshots, so no hit ratio (the cache is idle)";
        }
        return new Evidence(step.id(), type(), kind(), cache.name(), query, a.at(), b.at(), status, reason, values, null,
                List.of(recorded(service, query, samples)));
    }

    /**
     * The two snapshots as recorded (kind {@code cache}): one entry {@code {"service", "describe" (the request,
     * or null), "samples": [{"at": RFC 3339, "fields": {field: value}}, ...]}}; keyspace lines are fields too.
     */
    static Evidence.Recorded recorded(String service, String query, CacheSource.Samples samples) {
        List<Map<String, Object>> snapshots = List.of(sample(samples.first()), sample(samples.second()));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("service", service);
        entry.put("describe", query);
        entry.put("samples", snapshots);
        return new Evidence.Recorded(query, List.of(entry), "cache");
    }

    /** A failed read as recorded: {@code {"service", "describe", "status": "error|timeout", "error": why}}. */
    static Evidence.Recorded recorded(String service, String query, CacheSourceException e) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("service", service);
        entry.put("describe", query);
        entry.put("status", e.status().wire());
        entry.put("error", e.getMessage());
        return new Evidence.Recorded(query, List.of(entry), "cache");
    }

    private static Map<String, Object> sample(CacheInfo info) {
        return Map.of("at", info.at().toString(), "fields", new LinkedHashMap<>(info.fields()));
    }

    /** The gauges and totals of one snapshot. */
    static Map<String, Object> snapshot(CacheInfo info) {
        Map<String, Object> out = new LinkedHashMap<>();
        double hits = info.number("keyspace_hits");
        double misses = info.number("keyspace_misses");
        out.put("hit_ratio_since_reset", hits + misses > 0 ? hits / (hits + misses) : Double.NaN);
        // INFO's counters run from the server's start or its last CONFIG RESETSTAT; INFO tells only the former
        double uptime = info.number("uptime_in_seconds");
        out.put("since_reset", Double.isNaN(uptime) ? "since the Redis server started or its last CONFIG RESETSTAT"
                : "since the Redis server started " + Durations.span(Duration.ofSeconds((long) uptime))
                        + " ago (uptime_in_seconds), or its last CONFIG RESETSTAT if later");
        out.put("uptime_seconds", uptime);
        double used = info.number("used_memory");
        double max = info.number("maxmemory");
        out.put("used_memory", used);
        out.put("maxmemory", max);
        out.put("memory_used_ratio", max > 0 ? used / max : Double.NaN);
        String policy = info.text("maxmemory_policy", "unknown");
        out.put("maxmemory_policy", policy);
        String usedText = info.text("used_memory_human", String.format(Locale.ROOT, "%.0fB", used));
        out.put("memory", max > 0
                ? String.format(Locale.ROOT, "used_memory %s of maxmemory %s (%.0f%%) with %s", usedText,
                        info.text("maxmemory_human", String.format(Locale.ROOT, "%.0fB", max)), 100 * used / max, policy)
                : "used_memory " + usedText + ", no maxmemory limit (policy " + policy + ")");
        out.put("connected_clients", info.number("connected_clients"));
        out.put("blocked_clients", info.number("blocked_clients"));
        out.put("evicted_keys", info.number("evicted_keys"));
        out.put("expired_keys", info.number("expired_keys"));
        out.put("keys", (double) info.keyspace().values().stream().mapToLong(CacheInfo.Keyspace::keys).sum());
        out.put("expires", (double) info.keyspace().values().stream().mapToLong(CacheInfo.Keyspace::expires).sum());
        return out;
    }

    /** {@code $name} from the rule's vars; a name with no value stays as written. */
    static String fill(String value, Map<String, String> vars) {
        Matcher m = VAR.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }
}
