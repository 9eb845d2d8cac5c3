package dev.rootcause.api;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.ws.rs.core.MediaType;

/** How every JSON request body is read: strictly, and only when it is JSON. */
public final class JsonBodies {

    private JsonBodies() {
    }

    /** A reader that rejects a repeated key and trailing data, where the JSON spec leaves "last wins" room. */
    public static ObjectReader strict(ObjectMapper json) {
        return json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Accepts {@code application/json}, {@code *}{@code /*+json}, or no Content-Type at all (some senders omit it).
     *
     * @throws UnsupportedBody naming the header otherwise; answered 415
     */
    public static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedBody("Content-Type \"" + contentType + "\" is not a media type; send application/json");
        }
        if (!"application".equals(type.getType()) || !(type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))) {
            throw new UnsupportedBody("Content-Type " + contentType + " is not JSON; send application/json");
        }
    }

    /**
     * Why text cannot be stored as sent, or null when it can: NUL (PostgreSQL text refuses it) and
     * unpaired surrogates (not encodable as UTF-8).
     */
    public static String unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains a NUL character";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate";
            }
        }
        return null;
    }

    /** A body in a media type the API does not read. Answered 415 by {@link ApiErrors}. */
    public static class UnsupportedBody extends RuntimeException {
        public UnsupportedBody(String message) {
            super(message);
        }
    }
}
