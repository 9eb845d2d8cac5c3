package dev.rootcause.source.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.changes.ChangeRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one place a Datadog event becomes a change event (kept together so a rename of the change API's fields lands
 * here only). From an event of {@code GET /api/v2/events} ({@code data[]}: {@code id}, {@code attributes.timestamp},
 * {@code attributes.tags} {@code ["service:checkout","version:2.8.0"]}, {@code attributes.attributes.title},
 * {@code .service}, {@code .evt.id}):
 * <ul>
 *   <li>id: {@code datadog-<evt.id>} (else {@code datadog-<data.id>}), so a re-read event is the same change;</li>
 *   <li>service: the {@code service:} tag, else {@code attributes.attributes.service}; none: not a change (skipped);</li>
 *   <li>version: the {@code version:} tag, else the event's title (cut to 200);</li>
 *   <li>previous version, commit, author: the tags {@code previous_version:}, {@code git.commit.sha:},
 *       {@code author:} (or {@code user:});</li>
 *   <li>kind of change ({@code source} in today's change API): {@code rollback} when tagged {@code rollback}, else
 *       {@code deploy}.</li>
 * </ul>
 */
final class DatadogChanges {

    private DatadogChanges() {
    }

    /** @return the change, or empty when the event names no service (it cannot be attributed) */
    static Optional<ChangeRequest> change(JsonNode event) {
        JsonNode a = event.path("attributes");
        Map<String, String> tags = new LinkedHashMap<>();
        a.path("tags").forEach(t -> {
            String s = t.asText("");
            int colon = s.indexOf(':');
            tags.putIfAbsent(colon < 0 ? s : s.substring(0, colon), colon < 0 ? "" : s.substring(colon + 1));
        });
        JsonNode inner = a.path("attributes");
        String service = first(tags.get("service"), "undefined".equals(inner.path("service").asText()) ? null : inner.path("service").asText(null));
        if (service == null) {
            return Optional.empty();
        }
        String evtId = inner.path("evt").path("id").asText(null);
        String id = "datadog-" + first(evtId, event.path("id").asText(""));
        if (!ChangeRequest.ID.matcher(id).matches()) {
            return Optional.empty();
        }
        String version = first(tags.get("version"), inner.path("title").asText(null), "unknown");
        String kind = tags.containsKey("rollback") ? "rollback" : "deploy";
        return Optional.of(new ChangeRequest(id, cut(service, 200), cut(version, 200), cut(tags.get("previous_version"), 200),
                cut(tags.get("git.commit.sha"), 400), cut(first(tags.get("author"), tags.get("user")), 200), time(a, inner), kind, "datadog",
                cut(tags.get("env"), 200), null, false));
    }

    private static Instant time(JsonNode a, JsonNode inner) {
        try {
            if (a.hasNonNull("timestamp")) {
                return Instant.parse(a.get("timestamp").asText());
            }
        } catch (DateTimeParseException e) {
            // fall through to the inner epoch milliseconds
        }
        return inner.hasNonNull("timestamp") ? Instant.ofEpochMilli(inner.get("timestamp").asLong()) : null;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String cut(String s, int max) {
        return s == null ? null : s.length() <= max ? s : s.substring(0, max);
    }
}
