package dev.rootcause.api.page;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A page form's body read strictly, so that what a browser never sends is a 4xx naming what was wrong instead of a
 * 500 from the REST layer's own decoding: {@code application/x-www-form-urlencoded} only (HTML's form submission,
 * https://url.spec.whatwg.org/#application/x-www-form-urlencoded), UTF-8, at most {@link #MAX_BYTES} bytes; each value
 * percent-decoded on its own, so a malformed escape ({@code name=%ZZ}) or bytes that are not UTF-8 name their field.
 * The first of repeated fields counts.
 */
final class PageForm {

    /** The largest form body taken: the longest field (the actual cause, 1,000 characters of up to 4 UTF-8 bytes,
     *  each percent-encoded as 3 characters) is 12,000 bytes; the rest are short. */
    static final int MAX_BYTES = 32 * 1024;
    static final String TYPE = "application/x-www-form-urlencoded";

    private final Map<String, String> fields;

    private PageForm(Map<String, String> fields) {
        this.fields = fields;
    }

    /** A refused form: the HTTP status and a message that starts with the field's name where there is one. */
    static final class Invalid extends RuntimeException {
        final int status;

        Invalid(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Reads a form body.
     *
     * @param contentType the request's Content-Type header (parameters such as {@code charset=UTF-8} allowed)
     * @throws Invalid 415 for another content type, 413 past {@link #MAX_BYTES}, 400 naming the field for a malformed
     *                 percent escape or a value that is not UTF-8
     */
    static PageForm parse(String contentType, String body) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip();
        if (!TYPE.equalsIgnoreCase(type)) {
            throw new Invalid(415, "Content-Type: expected " + TYPE + " (a form post), got "
                    + (type.isEmpty() ? "none" : type.length() > 100 ? type.substring(0, 100) + "…" : type) + ".");
        }
        String text = body == null ? "" : body;
        if (text.length() > MAX_BYTES) { // chars ≤ bytes: a body this long is over the limit either way
            throw new Invalid(413, "The form is larger than " + MAX_BYTES / 1024 + " KiB; no field of these pages needs that.");
        }
        Map<String, String> fields = new HashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a field name");
            String value = decode(eq < 0 ? "" : pair.substring(eq + 1), name);
            fields.putIfAbsent(name, value);
        }
        return new PageForm(fields);
    }

    private static String decode(String raw, String field) {
        try {
            String value = URLDecoder.decode(raw, StandardCharsets.UTF_8);
            if (value.indexOf('\uFFFD') >= 0 && !raw.contains("\uFFFD") && !raw.toUpperCase().contains("%EF%BF%BD")) {
                throw new Invalid(400, field + ": not UTF-8 text (its percent escapes decode to invalid bytes).");
            }
            return value;
        } catch (IllegalArgumentException e) { // "%ZZ", a lone "%": URLDecoder names neither field nor place
            throw new Invalid(400, field + ": malformed percent escape (%XX with two hex digits expected).");
        }
    }

    /** The field's value, or null when absent. */
    String get(String name) {
        return fields.get(name);
    }

    /**
     * The field's value, or null when absent.
     *
     * @throws Invalid 400 when it is longer than {@code max} characters
     */
    String get(String name, int max) {
        String v = fields.get(name);
        if (v != null && v.length() > max) { // UTF-16 units, as a browser's maxlength counts
            throw new Invalid(400, name + ": at most " + max + " characters.");
        }
        return v;
    }
}
