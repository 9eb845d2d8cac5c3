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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads what the Zabbix media type ({@code integrations/zabbix/rootcause-webhook.js}, docs/zabbix.md) posts to
 * {@code POST /api/v1/alerts/zabbix}: one Zabbix event, a problem or its recovery, as one {@link Notification} of
 * one alert.
 *
 * <p>Body (JSON; every value a string unless said): {@code eventid} (required, digits: the fingerprint; a recovery
 * carries its problem's id, so it resolves that alert), {@code event_value} ({@code "1"} problem, {@code "0"}
 * recovery), {@code host} (technical name), {@code trigger_id}, {@code trigger_name} (required), {@code starts_at}
 * (RFC 3339, required), {@code ends_at} (RFC 3339 or empty), {@code event_name}, {@code host_name},
 * {@code severity} (Zabbix's name, e.g. {@code High}), {@code trigger_expression}, {@code item_key},
 * {@code trigger_description}, {@code trigger_url}, {@code zabbix_url}, {@code receiver}, {@code tags} (array of
 * {@code {"tag","value"}}, Zabbix's {@code {EVENT.TAGSJSON}}). Unknown fields are ignored.
 *
 * <p>Alert: labels {@code alertname} (the event name, else the trigger name), {@code host}, {@code host_name} (when
 * it differs), {@code trigger_id}, {@code severity} (Disaster → critical, High → high, Average → major, Warning →
 * warning, Information → info, Not classified → none), {@code zabbix_severity} (as sent), and one per tag (its
 * name with characters outside {@code [A-Za-z0-9_]} as {@code _}; a name clashing with the labels above becomes
 * {@code tag_<name>}; repeated tags join their values with {@code ,}); annotations {@code summary}
 * ({@code <event name> on <host name>}), {@code description}, {@code runbook_url} (an http(s) trigger URL),
 * {@code zabbix_item_key} and the trigger expression as {@value AlertReader#EXPRESSION_ANNOTATION} (language
 * {@code zabbix}); {@code generatorURL} the frontend's event page ({@code tr_events.php}).
 *
 * <p>Grouping, as an Alertmanager route grouping by {@code [trigger_id, host]}: groupKey
 * {@code {}:{host="<host>", trigger_id="<id>"}}. A Zabbix trigger belongs to one host (a template's trigger is
 * copied per host), so every event of one trigger, including several open problems of a trigger that generates
 * multiple problem events, lands in one incident, and the incident resolves when each of its events recovered.
 */
public final class ZabbixEventParser {

    /** The source name of deliveries and incidents. */
    public static final String SOURCE = "zabbix";

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");
    private static final Pattern NOT_LABEL = Pattern.compile("[^A-Za-z0-9_]");
    private static final Map<String, String> SEVERITIES = Map.of("disaster", "critical", "high", "high", "average", "major",
            "warning", "warning", "information", "info", "not classified", "none");
    /** Labels the parser sets; a tag of the same name is kept as {@code tag_<name>}. */
    private static final Set<String> OWN = Set.of("alertname", "host", "host_name", "trigger_id", "severity", "zabbix_severity");

    private final ObjectReader json;

    ZabbixEventParser(ObjectReader json) {
        this.json = json;
    }

    /**
     * @throws InvalidPayloadException naming the first offending field
     */
    Notification parse(byte[] body) {
        JsonNode root = read(body);
        String eventId = required(root, "eventid");
        if (eventId.startsWith("{")) {
            throw new InvalidPayloadException("eventid", "an unresolved macro " + eventId
                    + " (the media type's Test sends its parameters as typed: give it an event id)");
        }
        if (!DIGITS.matcher(eventId).matches()) {
            throw new InvalidPayloadException("eventid", "expected Zabbix's numeric event id, got \"" + eventId + '"');
        }
        String value = required(root, "event_value");
        if (!value.equals("0") && !value.equals("1")) {
            throw new InvalidPayloadException("event_value", "expected \"1\" (problem) or \"0\" (recovery), got \"" + value + '"');
        }
        Alert.Status status = value.equals("1") ? Alert.Status.FIRING : Alert.Status.RESOLVED;
        String host = required(root, "host");
        String triggerId = required(root, "trigger_id");
        String triggerName = required(root, "trigger_name");
        Instant startsAt = time(root, "starts_at", true);
        Instant endsAt = time(root, "ends_at", false);
        if (status == Alert.Status.RESOLVED && endsAt == null) {
            throw new InvalidPayloadException("ends_at", "required for a recovery (event_value \"0\")");
        }

        Map<String, String> labels = new LinkedHashMap<>();
        String eventName = optional(root, "event_name");
        labels.put("alertname", eventName == null || eventName.isBlank() ? triggerName : eventName);
        labels.put("host", host);
        String hostName = optional(root, "host_name");
        if (hostName != null && !hostName.isBlank() && !hostName.equals(host)) {
            labels.put("host_name", hostName);
        }
        labels.put("trigger_id", triggerId);
        String severity = optional(root, "severity");
        if (severity != null && !severity.isBlank()) {
            labels.put("zabbix_severity", severity);
            labels.put("severity", SEVERITIES.getOrDefault(severity.strip().toLowerCase(Locale.ROOT), severity.strip()));
        }
        tags(root, labels);

        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", labels.get("alertname") + " on " + (hostName == null || hostName.isBlank() ? host : hostName));
        putIfText(annotations, "description", optional(root, "trigger_description"));
        String url = optional(root, "trigger_url");
        if (url != null && (url.startsWith("http://") || url.startsWith("https://"))) {
            annotations.put("runbook_url", url);
        }
        putIfText(annotations, "zabbix_item_key", optional(root, "item_key"));
        String expression = optional(root, "trigger_expression");
        if (expression != null && !expression.isBlank()) {
            annotations.put(AlertReader.EXPRESSION_ANNOTATION, expression);
            annotations.put(AlertReader.LANGUAGE_ANNOTATION, "zabbix");
        }
        String frontend = optional(root, "zabbix_url");
        String link = frontend == null || frontend.isBlank() ? null
                : frontend.replaceAll("/+$", "") + "/tr_events.php?triggerid=" + triggerId + "&eventid=" + eventId;

        Alert alert = new Alert(eventId, status, labels, annotations, startsAt, endsAt, link);
        Map<String, String> group = new LinkedHashMap<>();
        group.put("host", host);
        group.put("trigger_id", triggerId);
        String receiver = optional(root, "receiver");
        return new Notification(SOURCE, receiver == null || receiver.isBlank() ? SOURCE : receiver, status, groupKey(host, triggerId),
                group, labels, annotations, frontend, 0, List.of(alert));
    }

    /** Alertmanager's form of a group key ({@code {}:{a="x", b="y"}}, label values quoted as Go's %q does). */
    static String groupKey(String host, String triggerId) {
        return "{}:{host=" + quote(host) + ", trigger_id=" + quote(triggerId) + "}";
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    private static void tags(JsonNode root, Map<String, String> labels) {
        JsonNode tags = root.get("tags");
        if (tags == null || tags.isNull() || (tags.isTextual() && tags.textValue().isBlank())) {
            return;
        }
        if (!tags.isArray()) {
            throw new InvalidPayloadException("tags", "expected an array of {\"tag\", \"value\"} ({EVENT.TAGSJSON}), got "
                    + tags.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        Map<String, String> fromTags = new LinkedHashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            JsonNode t = tags.get(i);
            String path = "tags[" + i + "]";
            if (!t.isObject()) {
                throw new InvalidPayloadException(path, "expected an object {\"tag\", \"value\"}");
            }
            String name = required(t, "tag", path + ".tag");
            String value = optional(t, "value", path + ".value");
            String label = NOT_LABEL.matcher(name).replaceAll("_");
            if (OWN.contains(label) || Character.isDigit(label.charAt(0))) {
                label = "tag_" + label;
            }
            String v = value == null ? "" : value;
            fromTags.merge(label, v, (a, b) -> List.of(a.split(",")).contains(b) ? a : a + "," + b);
        }
        fromTags.forEach(labels::putIfAbsent);
    }

    private JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidPayloadException("$", "empty body; expected a JSON object");
        }
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                throw new InvalidPayloadException("$", "expected a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidPayloadException("$", "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidPayloadException("$", "unreadable body: " + e.getMessage());
        }
    }

    private static Instant time(JsonNode root, String field, boolean required) {
        String text = required ? required(root, field) : optional(root, field);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return WireTime.rfc3339(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidPayloadException(field, "not an RFC 3339 time with a year in 0000-9999: \"" + text + '"');
        }
    }

    private static String required(JsonNode node, String name) {
        return required(node, name, name);
    }

    private static String required(JsonNode node, String name, String path) {
        String v = optional(node, name, path);
        if (v == null || v.isBlank()) {
            throw new InvalidPayloadException(path, v == null ? "required" : "required, and empty");
        }
        return v;
    }

    private static String optional(JsonNode node, String name) {
        return optional(node, name, name);
    }

    /** A string field, or null; numbers are taken as their text (Zabbix ids are numbers in some exports). */
    private static String optional(JsonNode node, String name, String path) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isIntegralNumber()) {
            throw new InvalidPayloadException(path, "expected a string, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String text = v.asText();
        String problem = StrictJson.unstorable(text);
        if (problem != null) {
            throw new InvalidPayloadException(path, problem);
        }
        return text;
    }

    private static void putIfText(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }
}
