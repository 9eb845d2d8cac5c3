package dev.rootcause.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.Notification;
import dev.rootcause.incident.NotificationDecoder;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
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
 * Label and annotation values must be strings; {@code null} members are dropped (Grafana sends
 * {@code "values": null}, which is not read at all).
 */
@ApplicationScoped
public class WebhookParser implements NotificationDecoder {

    /** Go's zero {@code time.Time}: Alertmanager's "not ended". */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private final ObjectMapper json;

    public WebhookParser(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param source {@code alertmanager} or {@code grafana}
     * @param body   the request body as received (UTF-8 JSON)
     * @throws InvalidPayloadException naming the first offending field
     */
    public Notification parse(String source, byte[] body) {
        JsonNode root = readTree(body);
        if (!root.isObject()) {
            throw new InvalidPayloadException("$", "expected a JSON object, got " + kind(root));
        }
        String status = requiredStatus(root, "status", "status");
        String groupKey = requiredText(root, "groupKey", "groupKey");
        JsonNode alertsNode = root.get("alerts");
        if (alertsNode == null || alertsNode.isNull()) {
            throw new InvalidPayloadException("alerts", "required");
        }
        if (!alertsNode.isArray()) {
            throw new InvalidPayloadException("alerts", "expected an array, got " + kind(alertsNode));
        }
        List<Alert> alerts = new ArrayList<>(alertsNode.size());
        for (int i = 0; i < alertsNode.size(); i++) {
            alerts.add(alert(alertsNode.get(i), "alerts[" + i + "]"));
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
        return parse(source, body);
    }

    private JsonNode readTree(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidPayloadException("$", "empty body; expected a JSON object");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidPayloadException("$", "malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidPayloadException("$", "unreadable body: " + e.getMessage());
        }
    }

    private Alert alert(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidPayloadException(path, "expected an object, got " + kind(node));
        }
        String status = requiredStatus(node, "status", path + ".status");
        String fingerprint = requiredText(node, "fingerprint", path + ".fingerprint");
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

    private static String requiredStatus(JsonNode node, String name, String path) {
        String status = requiredText(node, name, path);
        if (!Alert.FIRING.equals(status) && !Alert.RESOLVED.equals(status)) {
            throw new InvalidPayloadException(path, "expected \"firing\" or \"resolved\", got \"" + status + '"');
        }
        return status;
    }

    private static String requiredText(JsonNode node, String name, String path) {
        String value = optionalText(node, name, path);
        if (value == null) {
            throw new InvalidPayloadException(path, "required");
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
        return value.textValue();
    }

    private static Instant time(JsonNode value, String path) {
        if (value == null || value.isNull() || (value.isTextual() && value.textValue().isEmpty())) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidPayloadException(path, "expected an RFC 3339 time string, got " + kind(value));
        }
        try {
            return OffsetDateTime.parse(value.textValue()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidPayloadException(path, "not an RFC 3339 time: \"" + value.textValue() + '"');
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
            if (v.isNull()) {
                continue;
            }
            if (!v.isTextual()) {
                throw new InvalidPayloadException(path + "." + e.getKey(), "expected a string, got " + kind(v));
            }
            map.put(e.getKey(), v.textValue());
        }
        return map;
    }

    private static String kind(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().name().toLowerCase();
    }
}
