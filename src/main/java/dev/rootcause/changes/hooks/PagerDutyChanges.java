package dev.rootcause.changes.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.changes.ChangeRequest;
import dev.rootcause.diagnosis.port.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A PagerDuty Events API v2 change event (developer.pagerduty.com, "Send a Change Event": {@code routing_key},
 * {@code payload{summary, source, timestamp, custom_details}}, {@code links[{href, text}]}) as a change event.
 *
 * <p>PagerDuty's {@code payload.source} is the system the change came from and becomes the change's {@code source}
 * (not its kind: the trap issue 24 names). PagerDuty gives no id: the id is {@code pagerduty:} and the first 32 hex
 * digits of the SHA-256 of the body without its routing key, so the same event sent twice is one change.
 *
 * <p>Mapping: service ← {@code payload.custom_details.service}, else the service whose
 * {@code rootcause.changes.hooks.pagerduty.routing-keys.<service>} is the event's {@code routing_key}, else 400 naming
 * both; version ← {@code custom_details.version}, else the summary (cut to 200); previousVersion ←
 * {@code custom_details.previous_version}; author ← {@code custom_details.author}; environment ←
 * {@code custom_details.environment}; kind ← {@code custom_details.kind} (one of the kinds; default {@code deploy});
 * time ← {@code payload.timestamp}; link ← {@code links[0].href} (400 unless an http(s) URL); source ←
 * {@code payload.source}, else {@code pagerduty}. The {@code custom_details} keys are rootcause's convention (docs/changes.md), not PagerDuty's.
 *
 * <p>A body with {@code event_action} ({@code trigger}, {@code acknowledge}, {@code resolve}) or {@code dedup_key} is an
 * Events API v2 alert event, not a change event: it is ignored with the reason, never recorded as a deploy.
 *
 * <p>The routing key is a credential of the PagerDuty service: it is never logged, stored, hashed into the id nor put in
 * an answer.
 */
public final class PagerDutyChanges {

    private PagerDutyChanges() {
    }

    /**
     * @param routingKeys {@code rootcause.changes.hooks.pagerduty.routing-keys}: service → routing key
     * @throws ChangeRequest.Rejected naming the field that is missing or malformed (never quoting the routing key)
     */
    public static Hooked map(JsonNode body, Map<String, String> routingKeys, ObjectMapper json) {
        String alertField = body.has("event_action") ? "event_action" : body.has("dedup_key") ? "dedup_key" : null;
        if (alertField != null) {
            return Hooked.ignored("a PagerDuty alert event (it has " + alertField + "), not a change event: only change events "
                    + "(routing_key, payload, links; no event_action nor dedup_key) are recorded");
        }
        JsonNode payload = body.get("payload");
        if (payload == null || !payload.isObject()) {
            throw new ChangeRequest.Rejected("payload", "required: an object with summary, source, timestamp, custom_details");
        }
        String summary = HookText.required(body, "payload.summary");
        JsonNode details = payload.path("custom_details");
        String service = HookText.text(details, "service");
        if (service == null) {
            service = serviceOf(HookText.text(body, "routing_key"), routingKeys);
        }
        if (service == null) {
            throw new ChangeRequest.Rejected("payload.custom_details.service", "required: the event names no service and its "
                    + "routing_key is not one of rootcause.changes.hooks.pagerduty.routing-keys.<service>");
        }
        String kind = HookText.text(details, "kind");
        if (kind != null && !ChangeEvent.KINDS.contains(kind)) {
            throw new ChangeRequest.Rejected("payload.custom_details.kind", "expected one of " + new java.util.TreeSet<>(ChangeEvent.KINDS)
                    + ", got \"" + (kind.length() > 40 ? kind.substring(0, 40) + "…" : kind) + '"');
        }
        String version = HookText.text(details, "version");
        String source = HookText.text(body, "payload.source");
        return Hooked.change(ChangeRequest.of("pagerduty:" + id(body, json), service, version == null ? summary : version,
                HookText.text(details, "previous_version"), null, HookText.text(details, "author"),
                HookText.time(body, "payload.timestamp"), kind == null ? "deploy" : kind, source == null ? "pagerduty" : source,
                HookText.text(details, "environment"), link(body)));
    }

    /**
     * {@code links[0].href} checked as the change API checks {@code link}; null when there are no links.
     *
     * @throws ChangeRequest.Rejected naming {@code links} (not an array), {@code links[0]} (not an object) or
     *                                {@code links[0].href} (missing, or not an http(s) URL)
     */
    static String link(JsonNode body) {
        JsonNode links = body.get("links");
        if (links == null || links.isNull() || links.isArray() && links.isEmpty()) {
            return null;
        }
        if (!links.isArray()) {
            throw new ChangeRequest.Rejected("links", "expected an array of {href, text}");
        }
        if (!links.get(0).isObject()) {
            throw new ChangeRequest.Rejected("links[0]", "expected an object {href, text}");
        }
        String href = HookText.text(links.get(0), "href");
        if (href == null) {
            throw new ChangeRequest.Rejected("links[0].href", "required: an http or https URL");
        }
        return ChangeRequest.link("links[0].href", href);
    }

    /** The service whose configured routing key is {@code key}, compared in constant time; null when none. */
    static String serviceOf(String key, Map<String, String> routingKeys) {
        if (key == null) {
            return null;
        }
        String found = null;
        for (Map.Entry<String, String> e : routingKeys.entrySet()) {
            if (MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), e.getValue().getBytes(StandardCharsets.UTF_8))) {
                found = e.getKey();
            }
        }
        return found;
    }

    /** 32 hex digits of the SHA-256 of the body without {@code routing_key} (Jackson writes fields in arrival order). */
    static String id(JsonNode body, ObjectMapper json) {
        ObjectNode copy = body.deepCopy();
        copy.remove("routing_key");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(copy));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
