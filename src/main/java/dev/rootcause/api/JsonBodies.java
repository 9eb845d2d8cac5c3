package dev.rootcause.api;

import jakarta.ws.rs.core.MediaType;

/** Which request bodies the API reads as JSON (the reading itself is {@link dev.rootcause.support.StrictJson}). */
public final class JsonBodies {

    private JsonBodies() {
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

    /** A body in a media type the API does not read. Answered 415 by {@link ApiErrors}. */
    public static class UnsupportedBody extends RuntimeException {
        public UnsupportedBody(String message) {
            super(message);
        }
    }
}
