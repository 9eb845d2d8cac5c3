package dev.rootcause.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.Notification;
import dev.rootcause.support.StrictJson;
import dev.rootcause.support.WireTime;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a Datadog monitor notification sent by the Webhooks integration with rootcause's payload
 * ({@code src/main/resources/datadog/webhook-payload.json}, docs/datadog.md; variables from
 * docs.datadoghq.com/integrations/webhooks/#variables) into a one-alert {@link Notification} of source
 * {@code datadog}:
 * <ul>
 *   <li>{@code alert_transition} ({@code $ALERT_TRANSITION}): {@code Recovered} → resolved; {@code Triggered},
 *       {@code Re-Triggered}, {@code Warn}, {@code Re-Warn}, {@code No Data}, {@code Re-No Data}, {@code Renotify}
 *       → firing; anything else is refused naming the field;</li>
 *   <li>{@code alert_id} ({@code $ALERT_ID}, the monitor id, required) → label {@code datadog_monitor_id};
 *       {@code alert_title} without its {@code [Triggered on {…}] } prefix → {@code alertname};</li>
 *   <li>{@code tags} ({@code $TAGS}) and {@code alert_scope} ({@code $ALERT_SCOPE}), comma-separated {@code key:value}
 *       → labels (the key's characters outside {@code [a-zA-Z0-9_]} become {@code _}; the scope wins);</li>
 *   <li>{@code alert_priority} ({@code $ALERT_PRIORITY}, {@code P1}…{@code P5}) → {@code severity} critical, high,
 *       medium, low, info; without one, {@code alert_type} {@code error}/{@code warning} → that;</li>
 *   <li>{@code alert_query} ({@code $ALERT_QUERY}) → annotation {@code rootcause_expression} with
 *       {@code rootcause_expression_language=datadog}, read like an alert expression
 *       ({@code alert/reading/ForeignExpressions});</li>
 *   <li>{@code date} ({@code $DATE}, epoch milliseconds or RFC 3339, required) → startsAt, and endsAt when resolved;
 *       {@code link} ({@code $LINK}) → generatorURL.</li>
 * </ul>
 * The fingerprint is the first 16 hex of SHA-256 over monitor id and sorted scope, so a monitor's group keeps one
 * alert across its notifications; the groupKey is {@code {}:{datadog_monitor_id="<id>",scope="<scope>"}}.
 */
public final class DatadogWebhookParser {

    /** The notification's source and the alerts' {@code receiver}. */
    public static final String SOURCE = "datadog";

    private static final Map<String, String> PRIORITY = Map.of("p1", "critical", "p2", "high", "p3", "medium", "p4", "low", "p5", "info");
    private static final List<String> FIRING = List.of("triggered", "re-triggered", "warn", "re-warn", "no data", "re-no data", "renotify");

    private final ObjectReader json;

    public DatadogWebhookParser(ObjectMapper json) {
        this.json = StrictJson.reader(json);
    }

    /**
     * @throws InvalidPayloadException naming the first offending field
     */
    public Notification parse(byte[] body) {
        JsonNode root = read(body);
        String monitor = required(root, "alert_id");
        String transition = required(root, "alert_transition");
        String t = transition.toLowerCase(Locale.ROOT).strip();
        Alert.Status status;
        if (t.equals("recovered")) {
            status = Alert.Status.RESOLVED;
        } else if (FIRING.contains(t)) {
            status = Alert.Status.FIRING;
        } else {
            throw new InvalidPayloadException("alert_transition", "expected Triggered, Re-Triggered, Warn, Re-Warn, No Data, Re-No Data, "
                    + "Renotify or Recovered, got \"" + transition + '"');
        }
        Instant at = time(required(root, "date"));
        Map<String, String> labels = new TreeMap<>();
        String scope = text(root, "alert_scope");
        tags(labels, text(root, "tags"));
        tags(labels, scope);
        String title = text(root, "alert_title");
        String name = title == null ? "Datadog monitor " + monitor : title.replaceFirst("^\\[[^\\]]*]\\s*", "");
        labels.put("alertname", name.isBlank() ? "Datadog monitor " + monitor : name);
        labels.put("datadog_monitor_id", monitor);
        String priority = text(root, "alert_priority");
        String type = text(root, "alert_type");
        if (priority != null && PRIORITY.containsKey(priority.toLowerCase(Locale.ROOT))) {
            labels.put("severity", PRIORITY.get(priority.toLowerCase(Locale.ROOT)));
        } else if (type != null && List.of("error", "warning").contains(type)) {
            labels.put("severity", type);
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        put(annotations, "summary", title);
        put(annotations, "description", text(root, "text_only_msg"));
        put(annotations, "rootcause_expression", text(root, "alert_query"));
        if (annotations.containsKey("rootcause_expression")) {
            annotations.put("rootcause_expression_language", "datadog");
        }
        put(annotations, "datadog_status", text(root, "alert_status"));
        annotations.put("datadog_transition", transition);
        put(annotations, "datadog_tags", text(root, "tags"));
        String normalizedScope = scope == null ? "" : String.join(",", new java.util.TreeSet<>(List.of(scope.replace(" ", "").split(","))));
        String fingerprint = Notification.sha256(monitor + '\u0000' + normalizedScope).substring(0, 16);
        Alert alert = new Alert(fingerprint, status, labels, annotations, at, status == Alert.Status.RESOLVED ? at : null, text(root, "link"));
        String groupKey = "{}:{datadog_monitor_id=\"" + monitor + "\",scope=\"" + normalizedScope + "\"}";
        return new Notification(SOURCE, SOURCE, status, groupKey, Map.of("datadog_monitor_id", monitor), labels, Map.of(), null, 0,
                List.of(alert));
    }

    private JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidPayloadException("$", "empty body; expected a JSON object");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidPayloadException("$", "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidPayloadException("$", "unreadable body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPayloadException("$", "expected a JSON object (rootcause's Datadog payload, docs/datadog.md)");
        }
        return root;
    }

    private static String required(JsonNode root, String field) {
        String v = text(root, field);
        if (v == null) {
            throw new InvalidPayloadException(field, "required (paste the payload of docs/datadog.md)");
        }
        if (v.startsWith("$")) {
            throw new InvalidPayloadException(field, "Datadog did not fill " + v + "; is the monitor's notification sending this webhook?");
        }
        return v;
    }

    /** A string field; absent, null, blank or "" → null. Numbers are read as their text ($DATE may arrive unquoted). */
    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new InvalidPayloadException(field, "expected a string, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String s = v.asText();
        String problem = StrictJson.unstorable(s);
        if (problem != null) {
            throw new InvalidPayloadException(field, problem);
        }
        return s.isBlank() ? null : s.strip();
    }

    /** {@code $DATE}: epoch milliseconds (Datadog's form), epoch seconds, or RFC 3339. */
    private static Instant time(String v) {
        try {
            if (v.matches("\\d{1,16}")) {
                long n = Long.parseLong(v);
                Instant t = n > 100_000_000_000L ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n);
                String problem = WireTime.problem(t);
                if (problem != null) {
                    throw new InvalidPayloadException("date", problem + ": \"" + v + '"');
                }
                return t;
            }
            return WireTime.rfc3339(v);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new InvalidPayloadException("date", "expected epoch milliseconds or an RFC 3339 time (years 0000-9999), got \""
                    + v + '"');
        }
    }

    /** {@code key:value, key2:value2} → labels; a tag without a value is kept only in the datadog_tags annotation. */
    private static void tags(Map<String, String> labels, String tags) {
        if (tags == null) {
            return;
        }
        for (String tag : tags.split(",")) {
            String s = tag.strip();
            int colon = s.indexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                continue;
            }
            String key = s.substring(0, colon).replaceAll("[^a-zA-Z0-9_]", "_");
            if (Character.isDigit(key.charAt(0))) {
                key = "_" + key;
            }
            labels.put(key, s.substring(colon + 1));
        }
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
