package dev.rootcause.ruletest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.port.CacheInfo;
import dev.rootcause.diagnosis.port.CacheSource;
import dev.rootcause.diagnosis.port.CacheSourceException;
import dev.rootcause.source.cache.RedisInfoParser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link CacheSource} that answers from recorded Redis {@code INFO} texts, for rule tests. The file
 * ({@code redis.json}) maps a service to either two snapshots or a failure:
 * <pre>
 * {"cache-a": {"address": "redis://10.0.0.5:6379/0",
 *              "samples": [{"at": "2025-11-29T10:02:00Z", "info": "# Stats\r\nkeyspace_hits:10\r\n..."},
 *                          {"at": "2025-11-29T10:02:05Z", "info": "..."}]},
 *  "cache-b": {"status": "error", "error": "NOAUTH Authentication required."}}
 * </pre>
 * A service without a recording, or no file at all, fails with status {@code error}, as an unreachable
 * Redis would.
 */
public final class ReplayCacheSource implements CacheSource {

    private final Map<String, JsonNode> recordings = new HashMap<>();

    /** @throws IOException when the file cannot be read or is not an object of recordings */
    public ReplayCacheSource(Path file, ObjectMapper json) throws IOException {
        JsonNode root = json.readTree(file.toFile());
        if (!root.isObject()) {
            throw new IOException(file + ": expected {\"<service>\": {\"samples\": [...]} | {\"error\": ...}}");
        }
        root.properties().forEach(e -> recordings.put(e.getKey(), e.getValue()));
    }

    /** No recordings: every sample fails, as with Redis down. */
    public ReplayCacheSource() {
    }

    @Override
    public Samples sample(String service, Duration interval) throws CacheSourceException {
        JsonNode r = recordings.get(service);
        if (r == null) {
            throw new CacheSourceException(Evidence.Status.ERROR, "no recorded Redis INFO for service " + service);
        }
        if (r.has("error")) {
            Evidence.Status status = "timeout".equals(r.path("status").asText()) ? Evidence.Status.TIMEOUT : Evidence.Status.ERROR;
            throw new CacheSourceException(status, r.get("error").asText());
        }
        JsonNode samples = r.path("samples");
        if (!samples.isArray() || samples.size() != 2) {
            throw new CacheSourceException(Evidence.Status.ERROR, "recording for " + service + " needs exactly two samples");
        }
        return new Samples(snapshot(samples.get(0)), snapshot(samples.get(1)));
    }

    @Override
    public String describe(String service) {
        JsonNode r = recordings.get(service);
        return r == null || !r.has("address") ? null : "INFO " + r.get("address").asText();
    }

    @Override
    public String name() {
        return "redis";
    }

    private static CacheInfo snapshot(JsonNode s) {
        return RedisInfoParser.parse(s.path("info").asText(), Instant.parse(s.path("at").asText()));
    }

    /** {@code redis.json}, or none: every sample fails, as with Redis down. */
    public static StepPorts replay(Path file, ObjectMapper json, StepPorts ports) throws IOException {
        return ports.withCache(file == null ? new ReplayCacheSource() : new ReplayCacheSource(file, json));
    }

    /**
     * One entry per service, its first recorded read: two snapshots as {@code INFO} text (every field as
     * {@code field:value}, CRLF-ended; keyspace lines are fields) or the failure. None when Redis was not read.
     */
    public static Optional<JsonNode> export(List<JsonNode> recorded, ObjectMapper json) {
        ObjectNode out = json.createObjectNode();
        for (JsonNode r : recorded) {
            JsonNode e = r.path("series").path(0);
            String service = e.path("service").asText();
            if (out.has(service)) {
                continue;
            }
            ObjectNode entry = out.putObject(service);
            String describe = e.path("describe").asText(null);
            if (describe != null && describe.startsWith("INFO ")) { // describe() is "INFO <address>"
                entry.put("address", describe.substring("INFO ".length()));
            }
            if (e.has("error")) {
                entry.put("status", e.path("status").asText("error")).put("error", e.path("error").asText());
                continue;
            }
            for (JsonNode s : e.path("samples")) {
                StringBuilder info = new StringBuilder();
                s.path("fields").properties().forEach(f -> info.append(f.getKey()).append(':').append(f.getValue().asText()).append("\r\n"));
                entry.withArray("samples").addObject().put("at", s.path("at").asText()).put("info", info.toString());
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }
}
