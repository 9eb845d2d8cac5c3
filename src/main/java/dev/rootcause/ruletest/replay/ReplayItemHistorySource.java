package dev.rootcause.ruletest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.port.ItemHistorySource;
import dev.rootcause.diagnosis.port.ItemHistorySourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link ItemHistorySource} answering from recorded Zabbix or SkyWalking answers, for rule tests. The file
 * ({@code zabbix.json}, or {@code skywalking.json} of the same shape)
 * is a list of {@code {"query": "host=<host> key=<key>", "answer": {...}}}, the answer as
 * {@code dev.rootcause.diagnosis.step.items.ItemRecordings} records it (the item and its samples, or
 * {@code {status, reason}}). A query with no recording is an error, as an unreachable Zabbix would be; without the
 * file there is no item backend at all (steps end {@code skipped}), as when none is configured.
 */
public final class ReplayItemHistorySource implements ItemHistorySource {

    private final Map<String, JsonNode> answers = new HashMap<>();
    private final String backend;

    /** @throws IOException when the file cannot be read or is not a list of recordings */
    public ReplayItemHistorySource(Path recordings, ObjectMapper json) throws IOException {
        // skywalking.json holds SkyWalking's answers (MQE through items.compare), zabbix.json Zabbix's
        this.backend = recordings.getFileName().toString().startsWith("skywalking") ? "skywalking" : "zabbix";
        JsonNode list = json.readTree(recordings.toFile());
        if (!list.isArray()) {
            throw new IOException(recordings + ": expected a list of {query, answer}");
        }
        for (JsonNode r : list) {
            answers.put(r.path("query").asText(), r.path("answer"));
        }
    }

    @Override
    public ItemSeries history(String host, String key, Instant start, Instant end) throws ItemHistorySourceException {
        String query = "host=" + host + " key=" + key;
        JsonNode a = answers.get(query);
        if (a == null) {
            throw new ItemHistorySourceException(Evidence.Status.ERROR, "no recorded answer for " + query);
        }
        if (a.has("status")) {
            throw new ItemHistorySourceException(Evidence.Status.valueOf(a.path("status").asText("error").toUpperCase(java.util.Locale.ROOT)),
                    a.path("reason").asText());
        }
        List<Instant> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (JsonNode s : a.path("samples")) {
            Instant t = Instant.ofEpochSecond(s.get(0).asLong(), s.get(1).asLong());
            if (!t.isBefore(start) && !t.isAfter(end)) {
                times.add(t);
                values.add(s.get(2).asDouble());
            }
        }
        List<String> warnings = new ArrayList<>();
        a.path("warnings").forEach(w -> warnings.add(w.asText()));
        return new ItemSeries(host, key, a.path("itemId").asText(), a.path("name").asText(key), a.path("units").asText(""),
                a.path("method").asText("history.get"), times, values.stream().mapToDouble(Double::doubleValue).toArray(), warnings,
                a.path("link").isTextual() ? a.path("link").asText() : null);
    }

    @Override
    public String name() {
        return backend;
    }

    /** {@code zabbix.json} (or {@code skywalking.json}), or none: no item backend configured. */
    public static StepPorts replay(Path file, ObjectMapper json, StepPorts ports) throws IOException {
        return ports.withItems(file == null ? null : new ReplayItemHistorySource(file, json));
    }

    /** One entry per distinct query, its first answer; nothing written when no step asked. */
    public static Optional<JsonNode> export(List<JsonNode> recorded, ObjectMapper json) {
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        Map<String, JsonNode> byQuery = new LinkedHashMap<>();
        recorded.forEach(r -> byQuery.putIfAbsent(r.path("query").asText(), r.path("series").path(0)));
        ArrayNode out = json.createArrayNode();
        byQuery.forEach((query, answer) -> out.addObject().put("query", query).set("answer", answer));
        return Optional.of(out);
    }
}
