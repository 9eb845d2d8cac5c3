package dev.rootcause.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.support.StrictJson;
import dev.rootcause.support.WireTime;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
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
 * {@code author} (≤ 200), {@code time} (RFC 3339 with offset; default: when received), {@code kind}
 * ({@code deploy} default, {@code rollback}, {@code config}, {@code flag}, {@code infra}, {@code other}), {@code source} (the
 * system that sent it, e.g. {@code github-actions}, ≤ 200), {@code environment} (≤ 200), {@code link} (http or https URL,
 * ≤ 2000), {@code verify} (boolean: start a post-deploy verification).
 *
 * <p>Deprecated (issue 24): before {@code kind} existed, {@code source} held the kind. A body with no {@code kind} whose
 * {@code source} is one of {@link ChangeEvent#KINDS} is still read that way (the kind, no sender), with a warning
 * logged once.
 *
 * <p>Other intakes (the webhook mappings in {@code changes/hooks/}, a vendor adapter) build one with {@link #of} and
 * store it with {@link ChangeStore#record}.
 *
 * @param time        null when the caller gave none
 * @param kind        one of {@link ChangeEvent#KINDS}
 * @param source      the sender, or null
 * @param environment where it was deployed, or null
 */
public record ChangeRequest(String id, String service, String version, String previousVersion, String commitRange,
        String author, Instant time, String kind, String source, String environment, String link, boolean verify) {

    static final Set<String> KINDS = ChangeEvent.KINDS;
    static final Set<String> FIELDS = Set.of("id", "service", "version", "previousVersion", "commitRange", "author",
            "time", "kind", "source", "environment", "link", "verify");
    /** The key {@link dev.rootcause.support.Deprecations} warns under when {@code source} is read as the kind. */
    public static final String SOURCE_AS_KIND = "changes.source-as-kind";
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@+-]{1,200}");

    /** Bad input, answered 400 naming the field. */
    public static final class Rejected extends RuntimeException {
        public final String field;

        public Rejected(String field, String message) {
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
        String kind = text(body, "kind", false, 16);
        if (kind != null && !KINDS.contains(kind)) {
            throw new Rejected("kind", "expected one of " + new java.util.TreeSet<>(KINDS) + ", got \"" + kind + '"');
        }
        String source = text(body, "source", false, 200);
        if (kind == null && source != null && KINDS.contains(source)) {
            dev.rootcause.support.Deprecations.warnOnce(SOURCE_AS_KIND, "POST /api/v1/changes: \"source\": \"" + source
                    + "\" without \"kind\" is read as the kind of change; send \"kind\": \"" + source + "\" (source is now the "
                    + "system that sent the change, e.g. \"github-actions\")");
            kind = source;
            source = null;
        }
        String link = link(text(body, "link", false, 2000));
        Instant time = null;
        String t = text(body, "time", false, 64);
        if (t != null) {
            try {
                time = WireTime.rfc3339(t);
            } catch (DateTimeParseException e) {
                throw new Rejected("time", "expected RFC 3339 with an offset and a year in 0000-9999, e.g. 2024-05-14T08:55:12Z; got \""
                        + t + '"');
            }
        }
        JsonNode verify = body.get("verify");
        if (verify != null && !verify.isNull() && !verify.isBoolean()) {
            throw new Rejected("verify", "expected true or false");
        }
        return new ChangeRequest(id, name(text(body, "service", true, 200)), text(body, "version", true, 200),
                text(body, "previousVersion", false, 200), text(body, "commitRange", false, 400),
                text(body, "author", false, 200), time, kind == null ? "deploy" : kind, source, text(body, "environment", false, 200),
                link, verify != null && verify.asBoolean(false));
    }

    /**
     * A change from another intake (a webhook mapping, a vendor adapter), checked as {@link #parse} checks a posted body:
     * the same lengths and characters; {@code link} is dropped (not refused) when it is not an http(s) URL. An intake
     * whose sender chose the link (PagerDuty's {@code links}, the Argo CD template's {@code link}) checks it first with
     * {@link #link(String, String)} so that a bad one is a 400 naming its field, as in {@link #parse}.
     *
     * @param id          {@link #ID}: e.g. {@code github:deployment:145988746}
     * @param service     required
     * @param version     required: what runs after the change
     * @param time        when it took effect, or null for "when received"
     * @param kind        one of {@link ChangeEvent#KINDS}
     * @param source      the sending system, e.g. {@code github}, or null
     * @throws Rejected naming the first field that is missing or malformed, with the field named as in this record
     */
    public static ChangeRequest of(String id, String service, String version, String previousVersion, String commitRange,
            String author, Instant time, String kind, String source, String environment, String link) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new Rejected("id", "1-200 of letters, digits and . _ : @ + -, got " + (id == null ? "none" : '"' + id + '"'));
        }
        if (!KINDS.contains(kind)) {
            throw new Rejected("kind", "expected one of " + new java.util.TreeSet<>(KINDS) + ", got \"" + kind + '"');
        }
        String checkedLink;
        try {
            checkedLink = link(check("link", link, false, 2000));
        } catch (Rejected e) {
            checkedLink = null;
        }
        return new ChangeRequest(id, name(check("service", service, true, 200)), check("version", cut(version, 200), true, 200),
                check("previousVersion", cut(previousVersion, 200), false, 200), check("commitRange", commitRange, false, 400),
                check("author", cut(author, 200), false, 200), time, kind, check("source", cut(source, 200), false, 200),
                check("environment", cut(environment, 200), false, 200), checkedLink, false);
    }

    /** The first {@code max} characters of {@code s} (a sender's free text such as a summary), or null. */
    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static String check(String field, String s, boolean required, int max) {
        if (s == null || s.isBlank()) {
            if (required) {
                throw new Rejected(field, "required");
            }
            return null;
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

    /** A service name: no control characters (a line break would forge log lines and never match a filter). */
    private static String name(String service) {
        if (service != null && service.chars().anyMatch(Character::isISOControl)) {
            throw new Rejected("service", "expected a name without control characters (line breaks, tabs)");
        }
        return service;
    }

    private static String link(String link) {
        return link("link", link);
    }

    /**
     * The change API's check of a link, for the intakes that read one from their own field (a webhook's
     * {@code links[0].href}): an http or https URL with a host, at most 2000 characters, storable text.
     *
     * @param field the JSON path to name in the 400, e.g. {@code links[0].href}
     * @param link  the link, or null for none
     * @return {@code link}
     * @throws Rejected naming {@code field} when the link is not such a URL
     */
    public static String link(String field, String link) {
        if (link != null) {
            check(field, link, false, 2000);
            try {
                URI uri = new URI(link);
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    throw new Rejected(field, "expected an http or https URL");
                }
            } catch (java.net.URISyntaxException e) {
                throw new Rejected(field, "not a URL: " + e.getReason());
            }
        }
        return link;
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
        canonical.put("source", kind); // the kind's wire name before issue 24: bodies stored before then keep their hash
        canonical.put("link", link);
        if (source != null) {
            canonical.put("sender", source);
        }
        if (environment != null) {
            canonical.put("environment", environment);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
