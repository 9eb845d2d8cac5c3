package dev.rootcause.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.support.StrictJson;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A change event as posted to {@code POST /api/v1/changes}, validated. JSON fields: {@code id} (required,
 * the caller's id, 1–200 of {@code A-Z a-z 0-9 . _ : @ + -}), {@code service} (required, ≤ 200),
 * {@code version} (required, ≤ 200), {@code previousVersion} (≤ 200), {@code commitRange} (≤ 400),
 * {@code author} (≤ 200), {@code time} (RFC 3339 with offset; default: when received), {@code source}
 * ({@code deploy} default, {@code rollback}, {@code config}, {@code flag}, {@code infra}, {@code other}),
 * {@code link} (http or https URL, ≤ 2000), {@code verify} (boolean: start a post-deploy verification).
 *
 * @param time null when the caller gave none
 */
public record ChangeRequest(String id, String service, String version, String previousVersion, String commitRange,
        String author, Instant time, String source, String link, boolean verify) {

    static final Set<String> SOURCES = ChangeEvent.SOURCES;
    static final Set<String> FIELDS = Set.of("id", "service", "version", "previousVersion", "commitRange", "author",
            "time", "source", "link", "verify");
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@+-]{1,200}");

    /** Bad input, answered 400 naming the field. */
    public static final class Rejected extends RuntimeException {
        public final String field;

        Rejected(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }
    }

    /**
     * @throws Rejected naming the first field that is missing, of the wrong type, too long or malformed
     */
    public static ChangeRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new Rejected("$", "expected a JSON object");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new Rejected(f, "unknown field (known: " + new java.util.TreeSet<>(FIELDS) + ")");
            }
        });
        String id = text(body, "id", true, 200);
        if (!ID.matcher(id).matches()) {
            throw new Rejected("id", "only letters, digits and . _ : @ + - are allowed");
        }
        String source = text(body, "source", false, 16);
        if (source != null && !SOURCES.contains(source)) {
            throw new Rejected("source", "expected one of " + new java.util.TreeSet<>(SOURCES) + ", got \"" + source + '"');
        }
        String link = text(body, "link", false, 2000);
        if (link != null) {
            try {
                URI uri = new URI(link);
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    throw new Rejected("link", "expected an http or https URL");
                }
            } catch (java.net.URISyntaxException e) {
                throw new Rejected("link", "not a URL: " + e.getReason());
            }
        }
        Instant time = null;
        String t = text(body, "time", false, 64);
        if (t != null) {
            try {
                time = OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e) {
                throw new Rejected("time", "expected RFC 3339 with an offset, e.g. 2024-05-14T08:55:12Z; got \"" + t + '"');
            }
        }
        JsonNode verify = body.get("verify");
        if (verify != null && !verify.isNull() && !verify.isBoolean()) {
            throw new Rejected("verify", "expected true or false");
        }
        return new ChangeRequest(id, text(body, "service", true, 200), text(body, "version", true, 200),
                text(body, "previousVersion", false, 200), text(body, "commitRange", false, 400),
                text(body, "author", false, 200), time, source == null ? "deploy" : source, link,
                verify != null && verify.asBoolean(false));
    }

    private static String text(JsonNode body, String field, boolean required, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new Rejected(field, "required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new Rejected(field, "expected a string");
        }
        String s = v.textValue();
        if (s.isBlank()) {
            throw new Rejected(field, "must not be empty");
        }
        if (s.length() > max) {
            throw new Rejected(field, "at most " + max + " characters, got " + s.length());
        }
        String bad = StrictJson.unstorable(s);
        if (bad != null) {
            throw new Rejected(field, bad);
        }
        return s;
    }

    /**
     * SHA-256 of the change as sent (not {@code verify}, which asks for an action): a retry with the same
     * body has the same hash; the same id with anything else changed has another.
     */
    public String bodyHash(ObjectMapper json) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("id", id);
        canonical.put("service", service);
        canonical.put("version", version);
        canonical.put("previousVersion", previousVersion);
        canonical.put("commitRange", commitRange);
        canonical.put("author", author);
        canonical.put("time", time == null ? null : time.toString());
        canonical.put("source", source);
        canonical.put("link", link);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
