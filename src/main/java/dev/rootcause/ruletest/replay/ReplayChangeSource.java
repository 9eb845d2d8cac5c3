package dev.rootcause.ruletest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.ChangeSourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ChangeSource} answering from recorded changes, for rule tests. The file ({@code changes.json})
 * is a list of change events as {@link ChangeEvent} writes them: {@code id}, {@code service}, {@code version},
 * {@code previousVersion}, {@code commitRange}, {@code author}, {@code time} (RFC 3339), {@code kind} (default
 * {@code deploy}), {@code source} (the sender), {@code environment}, {@code link}, {@code origin} (default {@code api}),
 * {@code state}, {@code previousState}, {@code note}. Recordings made before issue 24 have no {@code kind} and the kind in
 * {@code source}: read as the kind, as the change API reads such bodies.
 * An empty list means "no changes"; no file means the change backends are down. The file may instead be an
 * object {@code {"changes": [...], "neverReceived": ["cache-a"]}}: the services no change event had ever reached
 * when the incident was diagnosed ({@link ChangeSource#receives} false), which the change rules call "not checked".
 */
public final class ReplayChangeSource implements ChangeSource {

    private final List<ChangeEvent> changes;
    private final java.util.Set<String> neverReceived;

    /** @throws IOException when the file cannot be read or an entry lacks id, service or a valid time */
    public ReplayChangeSource(Path recordings, ObjectMapper json) throws IOException {
        JsonNode root = json.readTree(recordings.toFile());
        JsonNode list = root.isObject() ? root.path("changes") : root;
        if (!list.isArray()) {
            throw new IOException(recordings + ": expected a list of change events, or {\"changes\": [...], \"neverReceived\": [...]}");
        }
        java.util.Set<String> never = new java.util.TreeSet<>();
        root.path("neverReceived").forEach(n -> never.add(n.asText()));
        this.neverReceived = java.util.Set.copyOf(never);
        List<ChangeEvent> out = new ArrayList<>();
        for (JsonNode c : list) {
            try {
                String kind = text(c, "kind");
                String source = text(c, "source");
                if (kind == null && source != null && ChangeEvent.KINDS.contains(source)) {
                    kind = source;
                    source = null;
                }
                out.add(new ChangeEvent(required(c, "id"), required(c, "service"), text(c, "version"), text(c, "previousVersion"),
                        text(c, "commitRange"), text(c, "author"), Instant.parse(required(c, "time")), kind == null ? "deploy" : kind,
                        text(c, "link"), c.path("origin").asText("api"), map(c.get("state")), map(c.get("previousState")), text(c, "note"),
                        source, text(c, "environment")));
            } catch (DateTimeParseException | IllegalArgumentException e) {
                throw new IOException(recordings + ": " + e.getMessage(), e);
            }
        }
        out.sort(Comparator.comparing(ChangeEvent::time).reversed());
        this.changes = List.copyOf(out);
    }

    /** No recordings: every lookup fails, as with the change backends down. */
    public ReplayChangeSource() {
        this.changes = null;
        this.neverReceived = java.util.Set.of();
    }

    @Override
    public boolean receives(String service) {
        return !neverReceived.contains(service);
    }

    @Override
    public String name() {
        return "api";
    }

    @Override
    public List<ChangeEvent> changes(String service, Instant since, Instant until) throws ChangeSourceException {
        if (changes == null) {
            throw new ChangeSourceException(Evidence.Status.ERROR, "no recorded changes (changes.json absent: change backends down)");
        }
        return changes.stream().filter(c -> c.service().equals(service) && !c.time().isBefore(since) && !c.time().isAfter(until)).toList();
    }

    private static String required(JsonNode c, String field) {
        String v = text(c, field);
        if (v == null) {
            throw new IllegalArgumentException("a change without " + field);
        }
        return v;
    }

    private static String text(JsonNode c, String field) {
        JsonNode v = c.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> out = new HashMap<>();
        if (node != null) {
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    /** {@code changes.json}, or none: the change backends are down. */
    public static StepPorts replay(Path file, ObjectMapper json, StepPorts ports) throws IOException {
        return ports.withChanges(List.of(file == null ? new ReplayChangeSource() : new ReplayChangeSource(file, json)));
    }

    /**
     * Every change any source answered with, once each (by origin and id); {@code []} when the sources answered
     * with none; no file when no source answered (all failed, or no change step ran).
     */
    public static Optional<JsonNode> export(List<JsonNode> recorded, ObjectMapper json) {
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        recorded.forEach(r -> r.path("series").path(0).path("changes")
                .forEach(c -> byId.putIfAbsent(c.path("origin").asText() + "/" + c.path("id").asText(), c)));
        ArrayNode out = json.createArrayNode();
        byId.values().forEach(out::add);
        java.util.Set<String> never = new java.util.TreeSet<>();
        recorded.forEach(r -> {
            JsonNode s = r.path("series").path(0);
            if (s.path("received").isBoolean() && !s.path("received").asBoolean()) {
                never.add(s.path("service").asText());
            }
        });
        if (never.isEmpty()) {
            return Optional.of(out);
        }
        com.fasterxml.jackson.databind.node.ObjectNode withNever = json.createObjectNode();
        withNever.set("changes", out);
        never.forEach(withNever.putArray("neverReceived")::add);
        return Optional.of(withNever);
    }
}
