package dev.rootcause.ruletest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.rule.ServiceCatalogue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link HttpProber} that answers from recorded probes, for rule tests. The file ({@code probes.json})
 * is a list of {@code {"url": "<health URL>", "outcome": "healthy|unhealthy|timeout|unreachable",
 * "code": 200, "latency_ms": 12.5, "attempts": 1, "error": null}}; a URL with no recording fails the
 * probe as a prober that cannot reach the network would (evidence {@code error}). Without a file, every
 * probe fails that way.
 */
public final class ReplayHttpProber implements HttpProber {

    private final Map<String, ProbeResult> byUrl = new HashMap<>();

    /**
     * @throws IOException when the file cannot be read or an entry is malformed
     */
    public ReplayHttpProber(Path recordings, ObjectMapper json) throws IOException {
        JsonNode list = json.readTree(recordings.toFile());
        if (!list.isArray()) {
            throw new IOException(recordings + ": expected a list of {url, outcome, code, latency_ms, attempts, error}");
        }
        for (JsonNode r : list) {
            String url = r.path("url").asText();
            Outcome outcome;
            try {
                outcome = Outcome.valueOf(r.path("outcome").asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IOException(recordings + ": " + url + ": outcome must be healthy, unhealthy, timeout or unreachable");
            }
            JsonNode error = r.get("error");
            byUrl.put(url, new ProbeResult("", url, outcome, r.path("code").asInt(0), r.path("latency_ms").asDouble(0),
                    r.path("attempts").asInt(1), error == null || error.isNull() ? null : error.asText()));
        }
    }

    /** No recordings: every probe fails, as with no network. */
    public ReplayHttpProber() {
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ServiceCatalogue.Dependency dependency) {
        if (!dependency.probed()) {
            return CompletableFuture.failedFuture(new ProbeException("not probed: " + dependency.name() + " has no health URL"));
        }
        ProbeResult r = byUrl.get(dependency.health().toString());
        if (r == null) {
            return CompletableFuture.failedFuture(new ProbeException("no recorded probe for " + dependency.health()));
        }
        return CompletableFuture.completedFuture(new ProbeResult(dependency.name(), r.url(), r.outcome(), r.statusCode(),
                r.latencyMillis(), r.attempts(), r.error()));
    }

    /** {@code probes.json}, or none: every probe fails, as with no network. */
    public static StepPorts replay(Path file, ObjectMapper json, StepPorts ports) throws IOException {
        return ports.withProber(file == null ? new ReplayHttpProber() : new ReplayHttpProber(file, json));
    }

    /** One entry per URL probed, its first recorded result; none when nothing was probed. */
    public static Optional<JsonNode> export(List<JsonNode> recorded, ObjectMapper json) {
        Map<String, JsonNode> byUrl = new LinkedHashMap<>();
        recorded.forEach(r -> byUrl.putIfAbsent(r.path("query").asText(), r.path("series").path(0)));
        ArrayNode out = json.createArrayNode();
        byUrl.values().forEach(out::add);
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }
}
