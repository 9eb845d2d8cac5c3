package dev.rootcause.alert;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.Notification;
import dev.rootcause.incident.pipeline.NotificationDecoder;
import dev.rootcause.support.StrictJson;
import dev.rootcause.support.WireTime;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an Alertmanager webhook v4 body, or Grafana's unified alerting webhook (the same shape plus
 * {@code orgId}, {@code state}, {@code title}, {@code message} and per-alert {@code values},
 * {@code dashboardURL} ... which are ignored here), into a {@link Notification}.
 *
 * <p>Required: {@code status}, {@code groupKey}, {@code alerts} and per alert {@code status},
 * {@code labels}, {@code startsAt}, {@code fingerprint}. Optional and defaulted: {@code receiver},
 * {@code groupLabels}, {@code commonLabels}, {@code commonAnnotations} (empty), {@code externalURL},
 * {@code truncatedAlerts} (0), per alert {@code annotations} (empty), {@code endsAt}, {@code generatorURL}.
 * Label and annotation values must be strings. Strict: a repeated JSON key, trailing data, an empty
 * {@code alerts} list, two alerts with one fingerprint, a fingerprint over 128 characters, NUL or an
 * unpaired surrogate in any text are all rejected, so nothing accepted fails later in the store.
 * Grafana's {@code "values": null} is not read at all.
 */
@ApplicationScoped
public class WebhookParser implements NotificationDecoder {

    /** Go's zero {@code time.Time}: Alertmanager's "not ended". */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    /** Longest fingerprint stored (Alertmanager's are 16 hex characters). */
    static final int MAX_FINGERPRINT = 128;

    private final ObjectReader json;
    private final ZabbixEventParser zabbix;
    private final DatadogWebhookParser datadog;
    private final SkyWalkingAlarmParser skywalking;

    public WebhookParser(ObjectMapper json) {
        this.datadog = new DatadogWebhookParser(json);
        // Strict where the JSON spec leaves room: a repeated key or trailing data is an error, not "last wins".
        this.json = StrictJson.reader(json);
        this.zabbix = new ZabbixEventParser(this.json);
        this.skywalking = new SkyWalkingAlarmParser(this.json);
    }

    /**
     * A SkyWalking alarm webhook body (a JSON array of alarm messages, read by {@link SkyWalkingAlarmParser}): one
     * notification per alarm.
     *
     * @throws InvalidPayloadException naming the first offending field, e.g. {@code [0].ruleName}
     */
    public List<Notification> parseSkyWalking(byte[] body) {
        return skywalking.parse(body);
    }

    /**
     * The same body cut into one delivery per alarm: each element as a one-element JSON array (Jackson's compact
     * form of what was received), which {@link #parse} reads again when the delivery is processed.
     *
     * @throws InvalidPayloadException as {@link #parseSkyWalking}
     */
    public List<byte[]> splitSkyWalking(byte[] body) {
        skywalking.parse(body);
        JsonNode root = readTree(body);
        List<byte[]> out = new ArrayList<>();
        root.forEach(e -> out.add(("[" + e.toString() + "]").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

    /** A Datadog monitor notification ({@link DatadogWebhookParser}). */
    public Notification parseDatadog(byte[] body) {
        return datadog.parse(body);
    }

    /**
     * @param source {@code alertmanager}, {@code grafana} or {@code zabbix} (the media type's event, read by
     *               {@link ZabbixEventParser})
     * @param body   the request body as received (UTF-8 JSON)
     * @throws InvalidPayloadException naming the first offending field
     */
    public Notification parse(String source, byte[] body) {
        if (ZabbixEventParser.SOURCE.equals(source)) {
            return zabbix.parse(body);
        }
        if (SkyWalkingAlarmParser.SOURCE.equals(source)) {
            List<Notification> ns = skywalking.parse(body);
            if (ns.size() != 1) {
                throw new InvalidPayloadException("$", "expected one alarm message per stored delivery, got " + ns.size()
                        + " (POST /api/v1/alerts/skywalking stores each alarm alone)");
            }
            return ns.get(0);
        }
        JsonNode root = readTree(body);
        if (!root.isObject()) {
            throw new InvalidPayloadException("$", "expected a JSON object, got " + kind(root));
        }
        Alert.Status status = requiredStatus(root, "status", "status");
        String groupKey = requiredText(root, "groupKey", "groupKey");
        JsonNode alertsNode = root.get("alerts");
        if (alertsNode == null || alertsNode.isNull()) {
            throw new InvalidPayloadException("alerts", "required");
        }
        if (!alertsNode.isArray()) {
            throw new InvalidPayloadException("alerts", "expected an array, got " + kind(alertsNode));
        }
        if (alertsNode.isEmpty()) {
            throw new InvalidPayloadException("alerts", "empty; a notification carries at least one alert");
        }
        List<Alert> alerts = new ArrayList<>(alertsNode.size());
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < alertsNode.size(); i++) {
            Alert alert = alert(alertsNode.get(i), "alerts[" + i + "]");
            Integer first = seen.putIfAbsent(alert.fingerprint(), i);
            if (first != null) {
                throw new InvalidPayloadException("alerts[" + i + "].fingerprint",
                        "same fingerprint as alerts[" + first + "]; each alert of a group has its own");
            }
            alerts.add(alert);
        }
        int truncated = 0;
        JsonNode truncatedNode = root.get("truncatedAlerts");
        if (truncatedNode != null && !truncatedNode.isNull()) {
            if (!truncatedNode.canConvertToInt() || !truncatedNode.isIntegralNumber() || truncatedNode.intValue() < 0) {
                throw new InvalidPayloadException("truncatedAlerts", "expected a non-negative integer, got " + truncatedNode);
            }
            truncated = truncatedNode.intValue();
        }
        return new Notification(source, optionalText(root, "receiver", "receiver"), status, groupKey,
                stringMap(root.get("groupLabels"), "groupLabels"),
                stringMap(root.get("commonLabels"), "commonLabels"),
                stringMap(root.get("commonAnnotations"), "commonAnnotations"),
                optionalText(root, "externalURL", "externalURL"), truncated, alerts);
    }

    @Override
    public Notification decode(String source, byte[] body) {
        return DatadogWebhookParser.SOURCE.equals(source) ? datadog.parse(body) : parse(source, body);
    }

    private JsonNode readTree(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidPayloadException("$", "empty body; expected a JSON object");
        }
        try {
            JsonNode root = json.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new InvalidPayloadException("$", "empty body; expected a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            // Constraint violations (nesting depth, name or number length) carry no location.
            JsonLocation at = e.getLocation();
            throw new InvalidPayloadException("$", "malformed JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidPayloadException("$", "unreadable body: " + e.getMessage());
        }
    }

    private Alert alert(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidPayloadException(path, "expected an object, got " + kind(node));
        }
        Alert.Status status = requiredStatus(node, "status", path + ".status");
        String fingerprint = requiredText(node, "fingerprint", path + ".fingerprint");
        if (fingerprint.length() > MAX_FINGERPRINT) {
            throw new InvalidPayloadException(path + ".fingerprint", "longer than " + MAX_FINGERPRINT + " characters");
        }
        JsonNode labels = node.get("labels");
        if (labels == null || labels.isNull()) {
            throw new InvalidPayloadException(path + ".labels", "required");
        }
        Instant startsAt = time(node.get("startsAt"), path + ".startsAt");
        if (startsAt == null) {
            throw new InvalidPayloadException(path + ".startsAt", "required");
        }
        Instant endsAt = time(node.get("endsAt"), path + ".endsAt");
        if (GO_ZERO_TIME.equals(endsAt)) {
            endsAt = null;
        }
        return new Alert(fingerprint, status, stringMap(labels, path + ".labels"),
                stringMap(node.get("annotations"), path + ".annotations"), startsAt, endsAt,
                optionalText(node, "generatorURL", path + ".generatorURL"));
    }

    private static Alert.Status requiredStatus(JsonNode node, String name, String path) {
        String status = requiredText(node, name, path);
        try {
            return Alert.Status.of(status);
        } catch (IllegalArgumentException e) {
            throw new InvalidPayloadException(path, "expected \"firing\" or \"resolved\", got \"" + status + '"');
        }
    }

    private static String requiredText(JsonNode node, String name, String path) {
        String value = optionalText(node, name, path);
        if (value == null) {
            throw new InvalidPayloadException(path, "required");
        }
        if (value.isEmpty()) {
            throw new InvalidPayloadException(path, "required, and empty");
        }
        return value;
    }

    private static String optionalText(JsonNode node, String name, String path) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidPayloadException(path, "expected a string, got " + kind(value));
        }
        return storable(value.textValue(), path);
    }

    /**
     * Rejects text the store cannot keep as sent: NUL (PostgreSQL text refuses it) and unpaired
     * surrogates (not encodable as UTF-8). Accepting it would mean a 202 for an alert we then lose.
     */
    private static String storable(String text, String path) {
        String problem = StrictJson.unstorable(text);
        if (problem != null) {
            throw new InvalidPayloadException(path, problem);
        }
        return text;
    }

    private static Instant time(JsonNode value, String path) {
        if (value == null || value.isNull() || (value.isTextual() && value.textValue().isEmpty())) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidPayloadException(path, "expected an RFC 3339 time string, got " + kind(value));
        }
        try {
            return WireTime.rfc3339(value.textValue());
        } catch (DateTimeParseException e) {
            throw new InvalidPayloadException(path, "not an RFC 3339 time with a year in 0000-9999: \"" + value.textValue() + '"');
        }
    }

    private static Map<String, String> stringMap(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidPayloadException(path, "expected an object of strings, got " + kind(node));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            String field = path + "." + e.getKey();
            if (!v.isTextual()) {
                throw new InvalidPayloadException(field, "expected a string, got " + kind(v));
            }
            map.put(storable(e.getKey(), field), storable(v.textValue(), field));
        }
        return map;
    }

    private static String kind(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().name().toLowerCase();
    }
}
