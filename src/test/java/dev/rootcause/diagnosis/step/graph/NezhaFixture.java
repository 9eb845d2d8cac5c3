package dev.rootcause.diagnosis.step.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * One system of the Nezha dataset as {@code src/test/resources/nezha/<system>.json.gz} holds it (written by
 * {@code convert.py} there; its README says what each field is): the faults, the call graph, and per service and
 * signal its samples (epoch seconds → value), every day of the system merged.
 */
final class NezhaFixture {

    /** One injected fault: when it began, which pod and service, which kind (cpu_contention, network_delay, …). */
    record Fault(String id, Instant at, String pod, String service, String type) {
    }

    final String system;
    final String entry;
    final String commit;
    final List<Fault> faults = new ArrayList<>();
    final DependencyGraph graph;
    /** signal → service (or "caller>callee" for edges) → time → value. */
    private final Map<String, Map<String, TreeMap<Long, Double>>> samples = new LinkedHashMap<>();

    private NezhaFixture(JsonNode root) {
        system = root.path("system").asText();
        entry = root.path("entry").asText();
        commit = root.path("source").path("commit").asText();
        for (JsonNode f : root.path("faults")) {
            faults.add(new Fault(f.path("id").asText(), Instant.ofEpochSecond(f.path("timestamp").asLong()), f.path("pod").asText(),
                    f.path("service").asText(), f.path("type").asText()));
        }
        List<DependencyEdge> edges = new ArrayList<>();
        for (JsonNode e : root.path("graph")) {
            Set<String> origins = new TreeSet<>();
            e.path("origins").forEach(o -> origins.add(o.asText()));
            edges.add(new DependencyEdge(e.path("caller").asText(), e.path("callee").asText(), origins));
        }
        graph = new DependencyGraph(edges, Map.of("nezha", edges.size() + " edges"), Instant.EPOCH);
        for (JsonNode day : root.path("days")) {
            day.path("services").fields().forEachRemaining(s -> s.getValue().fields().forEachRemaining(sig -> {
                if (sig.getValue().isArray() && !sig.getKey().equals("times")) {
                    put("pod." + sig.getKey(), s.getKey(), s.getValue().path("times"), sig.getValue());
                }
            }));
            day.path("edges").fields().forEachRemaining(e -> e.getValue().fields().forEachRemaining(sig -> {
                if (!sig.getKey().equals("times")) {
                    put("edge." + sig.getKey(), e.getKey().replace("->", ">"), e.getValue().path("times"), sig.getValue());
                }
            }));
            day.path("traceLatency").fields().forEachRemaining(s -> put("trace.latency_p90", s.getKey(), s.getValue().path("times"),
                    s.getValue().path("latency_p90")));
            JsonNode entrySeries = day.path("entry");
            for (String sig : List.of("latency_p90", "latency_p99", "success_percent")) {
                put("entry." + sig, entry, entrySeries.path("times"), entrySeries.path(sig));
            }
        }
    }

    private void put(String signal, String key, JsonNode times, JsonNode values) {
        TreeMap<Long, Double> series = samples.computeIfAbsent(signal, k -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new TreeMap<>());
        for (int i = 0; i < times.size() && i < values.size(); i++) {
            if (!values.get(i).isNull()) {
                series.put(times.get(i).asLong(), values.get(i).asDouble());
            }
        }
    }

    /** The samples of {@code key} (a service, or "caller>callee") for {@code signal} in [from, to]; empty when none. */
    Map<Long, Double> window(String signal, String key, Instant from, Instant to) {
        TreeMap<Long, Double> s = samples.getOrDefault(signal, Map.of()).get(key);
        return s == null ? Map.of() : s.subMap(from.getEpochSecond(), true, to.getEpochSecond(), true);
    }

    /** Every key that has {@code signal}. */
    Set<String> keys(String signal) {
        return new LinkedHashSet<>(samples.getOrDefault(signal, Map.of()).keySet());
    }

    /** Reads {@code nezha/<system>.json.gz} from the test class path. */
    static NezhaFixture load(String system) {
        try (InputStream in = NezhaFixture.class.getResourceAsStream("/nezha/" + system + ".json.gz")) {
            if (in == null) {
                throw new IllegalStateException("no fixture nezha/" + system + ".json.gz on the class path");
            }
            return new NezhaFixture(new ObjectMapper().readTree(new GZIPInputStream(in)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
