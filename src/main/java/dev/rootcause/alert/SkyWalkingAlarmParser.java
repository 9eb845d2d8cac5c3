package dev.rootcause.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rootcause.alert.reading.AlertReader;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.Notification;
import dev.rootcause.support.StrictJson;
import dev.rootcause.support.WireTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads what SkyWalking OAP's alarm webhook posts to {@code POST /api/v1/alerts/skywalking}: a JSON array of
 * {@code org.apache.skywalking.oap.server.core.alarm.AlarmMessage} (apache/skywalking,
 * docs/en/setup/backend/backend-alarm.md "Webhook", Apache-2.0), one {@link Notification} of one alert per element.
 *
 * <p>Element (JSON): {@code scopeId} (number), {@code scope} ({@code SERVICE}, {@code SERVICE_INSTANCE},
 * {@code ENDPOINT}, {@code SERVICE_RELATION}, ...; required), {@code name} (the entity's name, required: "svc",
 * "{instance} of {svc}", "{endpoint} in {svc}", "{src} to {dest}"), {@code id0}, {@code id1} (entity ids, strings),
 * {@code ruleName} (required), {@code alarmMessage}, {@code startTime} (epoch <b>milliseconds</b>, required),
 * {@code tags} (array of {@code {"key","value"}}); from OAP 10.x also {@code expression} (the rule's MQE),
 * {@code mqeMetricsSnapshot} (object), {@code uuid}, {@code layers}, {@code hooks}; a recovery
 * ({@code AlarmRecoveryMessage}) adds {@code recoveryTime} (epoch ms) and keeps the alarm's {@code uuid}.
 * Unknown fields are ignored.
 *
 * <p>Alert: fingerprint the {@code uuid} as sent, else {@code sw-} and 16 hex digits of SHA-256 over rule, scope id,
 * id0 and id1 (SkyWalking's "same alarm": same rule, same entity); labels {@code alertname} (the rule name),
 * {@code skywalking_scope}, {@code service} (and {@code service_instance}, {@code endpoint},
 * {@code dest_service} as the scope names them), {@code layer} (layers joined by {@code ,}), {@code severity}
 * (the {@code level} tag lower-cased), and one per tag (characters outside {@code [A-Za-z0-9_]} as {@code _}; a
 * clash with the labels above becomes {@code tag_<key>}); annotations {@code summary} (the alarm message),
 * {@code skywalking_entity}, {@code skywalking_snapshot} (the MQE snapshot as JSON text) and the rule's
 * expression as {@value AlertReader#EXPRESSION_ANNOTATION} (language {@code skywalking}).
 *
 * <p>Grouping, as an Alertmanager route grouping by {@code [alertname, skywalking_entity]}: one incident per rule
 * and entity, groupKey {@code {}:{alertname="<rule>", skywalking_entity="<name>"}}.
 */
public final class SkyWalkingAlarmParser {

    /** The source name of deliveries and incidents. */
    public static final String SOURCE = "skywalking";

    private static final Pattern NOT_LABEL = Pattern.compile("[^A-Za-z0-9_]");
    private static final Set<String> OWN = Set.of("alertname", "skywalking_scope", "service", "service_instance", "endpoint",
            "dest_service", "layer", "severity");

    private final ObjectReader json;

    SkyWalkingAlarmParser(ObjectReader json) {
        this.json = json;
    }

    /**
     * @return one notification per alarm, in the array's order
     * @throws InvalidPayloadException naming the first offending field, e.g. {@code [1].startTime}
     */
    List<Notification> parse(byte[] body) {
        JsonNode root = read(body);
        List<Notification> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            out.add(alarm(root.get(i), "[" + i + "]"));
        }
        return out;
    }

    private Notification alarm(JsonNode a, String at) {
        if (!a.isObject()) {
            throw new InvalidPayloadException(at, "expected an alarm message object");
        }
        String scope = required(a, at, "scope");
        String name = required(a, at, "name");
        String rule = required(a, at, "ruleName");
        long startMillis = millis(a, at, "startTime", true);
        long recoveryMillis = millis(a, at, "recoveryTime", false);
        Alert.Status status = recoveryMillis > 0 ? Alert.Status.RESOLVED : Alert.Status.FIRING;

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", rule);
        labels.put("skywalking_scope", scope);
        entity(scope, name, labels);
        JsonNode layers = a.get("layers");
        if (layers != null && layers.isArray() && !layers.isEmpty()) {
            List<String> names = new ArrayList<>();
            layers.forEach(l -> names.add(l.asText()));
            labels.put("layer", String.join(",", names));
        }
        tags(a, at, labels);

        Map<String, String> annotations = new LinkedHashMap<>();
        String message = optional(a, at, "alarmMessage");
        annotations.put("summary", message == null || message.isBlank() ? rule + " on " + name : message);
        annotations.put("skywalking_entity", name);
        String expression = optional(a, at, "expression");
        if (expression != null && !expression.isBlank()) {
            annotations.put(AlertReader.EXPRESSION_ANNOTATION, expression);
            annotations.put(AlertReader.LANGUAGE_ANNOTATION, "skywalking");
        }
        JsonNode snapshot = a.get("mqeMetricsSnapshot");
        if (snapshot != null && snapshot.isObject() && !snapshot.isEmpty()) {
            annotations.put("skywalking_snapshot", snapshot.toString());
        }
        String uuid = optional(a, at, "uuid");
        String fingerprint = uuid != null && !uuid.isBlank() ? uuid
                : sameAlarm(rule, a.path("scopeId").asText(""), text(a, "id0"), text(a, "id1"));
        Alert alert = new Alert(fingerprint, status, labels, annotations, Instant.ofEpochMilli(startMillis),
                status == Alert.Status.RESOLVED ? Instant.ofEpochMilli(recoveryMillis) : null, null);
        Map<String, String> group = new LinkedHashMap<>();
        group.put("alertname", rule);
        group.put("skywalking_entity", name);
        return new Notification(SOURCE, SOURCE, status, groupKey(rule, name), group, labels, annotations, null, 0, List.of(alert));
    }

    /** Splits the entity name as backend-alarm.md "Entity name" defines it; the last separator wins. */
    static void entity(String scope, String name, Map<String, String> labels) {
        switch (scope.toUpperCase(Locale.ROOT)) {
            case "SERVICE_INSTANCE" -> split(name, " of ", "service_instance", "service", labels);
            case "ENDPOINT" -> split(name, " in ", "endpoint", "service", labels);
            case "SERVICE_RELATION" -> {
                int to = name.indexOf(" to ");
                if (to > 0) {
                    labels.put("service", name.substring(0, to));
                    labels.put("dest_service", name.substring(to + 4));
                } else {
                    labels.put("service", name);
                }
            }
            case "SERVICE_INSTANCE_RELATION", "ENDPOINT_RELATION" -> {
                // "{a} of {svc} to {b} of {svc2}" / "{a} in {svc} to {b} in {svc2}": the source side's service
                String word = scope.toUpperCase(Locale.ROOT).startsWith("ENDPOINT") ? " in " : " of ";
                int to = name.indexOf(" to ");
                String source = to > 0 ? name.substring(0, to) : name;
                int w = source.lastIndexOf(word);
                labels.put("service", w > 0 ? source.substring(w + word.length()) : source);
                if (to > 0) {
                    String dest = name.substring(to + 4);
                    int d = dest.lastIndexOf(word);
                    labels.put("dest_service", d > 0 ? dest.substring(d + word.length()) : dest);
                }
            }
            default -> labels.put("service", name);
        }
    }

    private static void split(String name, String word, String first, String second, Map<String, String> labels) {
        int at = name.lastIndexOf(word);
        if (at > 0) {
            labels.put(first, name.substring(0, at));
            labels.put(second, name.substring(at + word.length()));
        } else {
            labels.put(second, name);
        }
    }

    /** Alertmanager's form of a group key ({@code {}:{a="x", b="y"}}, values quoted as Go's %q does). */
    static String groupKey(String rule, String entity) {
        return "{}:{alertname=" + quote(rule) + ", skywalking_entity=" + quote(entity) + "}";
    }

    private static String sameAlarm(String rule, String scopeId, String id0, String id1) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(String.join("\u0000", rule, scopeId, id0, id1)
                    .getBytes(StandardCharsets.UTF_8));
            return "sw-" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    private static void tags(JsonNode a, String at, Map<String, String> labels) {
        JsonNode tags = a.get("tags");
        if (tags == null || tags.isNull()) {
            return;
        }
        if (!tags.isArray()) {
            throw new InvalidPayloadException(at + ".tags", "expected an array of {\"key\", \"value\"}");
        }
        for (int i = 0; i < tags.size(); i++) {
            JsonNode t = tags.get(i);
            String path = at + ".tags[" + i + "]";
            if (!t.isObject()) {
                throw new InvalidPayloadException(path, "expected an object {\"key\", \"value\"}");
            }
            String key = required(t, path, "key");
            String value = optional(t, path, "value");
            String v = value == null ? "" : value;
            if (key.equals("level") && !v.isBlank()) {
                labels.putIfAbsent("severity", v.strip().toLowerCase(Locale.ROOT));
            }
            String label = NOT_LABEL.matcher(key).replaceAll("_");
            if (OWN.contains(label) || Character.isDigit(label.charAt(0))) {
                label = "tag_" + label;
            }
            labels.putIfAbsent(label, v);
        }
    }

    private JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidPayloadException("$", "empty body; expected a JSON array of alarm messages");
        }
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isArray()) {
                throw new InvalidPayloadException("$", "expected a JSON array of alarm messages (SkyWalking's webhook body)");
            }
            if (root.isEmpty()) {
                throw new InvalidPayloadException("$", "empty array; expected at least one alarm message");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidPayloadException("$", "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidPayloadException("$", "unreadable body: " + e.getMessage());
        }
    }

    private static long millis(JsonNode a, String at, String field, boolean required) {
        JsonNode v = a.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidPayloadException(at + "." + field, "required (epoch milliseconds)");
            }
            return 0;
        }
        if (!v.isIntegralNumber() || v.asLong() < 0) {
            throw new InvalidPayloadException(at + "." + field, "expected epoch milliseconds as a whole number, got " + v);
        }
        // a time in seconds would be 1970: the sender's unit, not ours, is wrong
        if (v.asLong() > 0 && v.asLong() < 100_000_000_000L) {
            throw new InvalidPayloadException(at + "." + field, v.asLong() + " reads as a time in 1973 or earlier: expected epoch milliseconds");
        }
        String problem = WireTime.problem(Instant.ofEpochMilli(v.asLong()));
        if (problem != null) {
            throw new InvalidPayloadException(at + "." + field, v.asLong() + " ms: " + problem);
        }
        return v.asLong();
    }

    private static String text(JsonNode a, String field) {
        JsonNode v = a.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static String required(JsonNode node, String at, String name) {
        String v = optional(node, at, name);
        if (v == null || v.isBlank()) {
            throw new InvalidPayloadException(at + "." + name, v == null ? "required" : "required, and empty");
        }
        return v;
    }

    /** A string field, or null; numbers are taken as their text (id0 is a number in 6.x-era examples). */
    private static String optional(JsonNode node, String at, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new InvalidPayloadException(at + "." + name, "expected a string, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String text = v.asText();
        String problem = StrictJson.unstorable(text);
        if (problem != null) {
            throw new InvalidPayloadException(at + "." + name, problem);
        }
        return text;
    }
}
