package dev.rootcause.ruletest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.step.graph.CatalogueEdges;
import dev.rootcause.diagnosis.step.items.ItemsCompareStep;
import dev.rootcause.ruletest.replay.ReplayCacheSource;
import dev.rootcause.ruletest.replay.ReplayChangeSource;
import dev.rootcause.ruletest.replay.ReplayGraph;
import dev.rootcause.ruletest.replay.ReplayHttpProber;
import dev.rootcause.ruletest.replay.ReplayItemHistorySource;
import dev.rootcause.ruletest.replay.ReplayLogSource;
import dev.rootcause.ruletest.replay.ReplayMetricsSource;
import dev.rootcause.ruletest.replay.ReplayTraceSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of rule-test recordings: every evidence family that asks a backend, with its file, replay
 * source and exporter. The rule-test command replays through it and the incident export writes through it,
 * so a family added here is both replayed and exported. Order: the order files are written in an export.
 */
public final class RecordingFamilies {

    /** Every family, in export order. */
    public static final List<RecordingFamily> ALL = List.of(
            new RecordingFamily("metric", "prometheus.json", Set.of("", "prometheus"), ReplayMetricsSource::replay,
                    ReplayMetricsSource::export),
            new RecordingFamily("probe", "probes.json", Set.of("probes"), ReplayHttpProber::replay, ReplayHttpProber::export),
            new RecordingFamily(ItemsCompareStep.FAMILY, "zabbix.json", Set.of(), ReplayItemHistorySource::replay,
                    ReplayItemHistorySource::export),
            new RecordingFamily("cache", "redis.json", Set.of(), ReplayCacheSource::replay, ReplayCacheSource::export),
            new RecordingFamily("trace", "traces.json", Set.of(), ReplayTraceSource::replay, ReplayTraceSource::export),
            new RecordingFamily("log", "logs.json", Set.of(), ReplayLogSource::replay, ReplayLogSource::export),
            new RecordingFamily("change", "changes.json", Set.of(), ReplayChangeSource::replay, ReplayChangeSource::export),
            new RecordingFamily(CatalogueEdges.KIND, "graph.json", Set.of(), ReplayGraph::replay, ReplayGraph::export));

    /**
     * Other names a family's file may have in a test folder, read when its own is absent: the item family's answers
     * come from Zabbix or from SkyWalking ({@code skywalking.json}, MQE answers in the same shape). An export writes
     * the family's own name.
     */
    static final Map<String, String> ALTERNATE_FILES = Map.of("zabbix.json", "skywalking.json");

    private RecordingFamilies() {
    }

    /** The recording files' names, e.g. {@code prometheus.json}, with their alternates. */
    public static Set<String> files() {
        Set<String> names = new java.util.HashSet<>(ALL.stream().map(RecordingFamily::file).toList());
        names.addAll(ALTERNATE_FILES.values());
        return Set.copyOf(names);
    }

    /**
     * The ports a test folder's steps run against: each family's replay of its file there (or of none).
     *
     * @param base the ports no family provides (the service catalogue)
     * @throws IOException when a recording cannot be read, naming the file
     */
    public static StepPorts replay(Path testFolder, ObjectMapper json, StepPorts base) throws IOException {
        StepPorts ports = base;
        for (RecordingFamily f : ALL) {
            Path file = testFolder == null ? null : testFolder.resolve(f.file());
            if (file != null && !Files.exists(file) && ALTERNATE_FILES.containsKey(f.file())) {
                file = testFolder.resolve(ALTERNATE_FILES.get(f.file()));
            }
            ports = f.replay().replay(file != null && Files.exists(file) ? file : null, json, ports);
        }
        return ports;
    }

    /**
     * The recording files for an incident's stored answers.
     *
     * @param recordings the stored list of {@code {query, series, capability}}; answers of a tag no family
     *                   claims are left out
     * @return file name → content, in export order
     */
    public static Map<String, JsonNode> export(JsonNode recordings, ObjectMapper json) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (RecordingFamily f : ALL) {
            List<JsonNode> mine = new ArrayList<>();
            if (recordings != null) {
                recordings.forEach(r -> {
                    String tag = r.path("capability").asText("");
                    if (f.kind().equals(tag) || f.legacyTags().contains(tag)) {
                        mine.add(r);
                    }
                });
            }
            f.export().export(mine, json).ifPresent(content -> out.put(fileOf(f, content), content));
        }
        return out;
    }

    /**
     * The family's file, or its alternate when the answers say so: item answers all read by MQE
     * ({@code "method": "execExpression"}, or an error whose reason names SkyWalking) are SkyWalking's and go to {@code skywalking.json}, so a replay names
     * the backend they came from.
     */
    private static String fileOf(RecordingFamily f, JsonNode content) {
        if (ALTERNATE_FILES.containsKey(f.file()) && content.isArray() && !content.isEmpty()) {
            boolean mqe = true;
            for (JsonNode r : content) {
                JsonNode a = r.path("answer");
                mqe &= "execExpression".equals(a.path("method").asText(null))
                        || a.path("reason").asText("").startsWith("SkyWalking ");
            }
            if (mqe) {
                return ALTERNATE_FILES.get(f.file());
            }
        }
        return f.file();
    }

    /** The family recording answers of {@code kind}, if any. */
    public static Optional<RecordingFamily> of(String kind) {
        return ALL.stream().filter(f -> f.kind().equals(kind)).findFirst();
    }
}
