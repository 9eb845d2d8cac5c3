package dev.rootcause.api.page;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A page login, carried in the {@value #COOKIE} cookie as {@code <payload>.<signature>}, both base64url: the payload
 * is {@code v1|<expires, epoch seconds>|<nonce>|<roles, comma-separated>|<name>}, the signature its HMAC-SHA256
 * under a key derived from the API token (so changing the token ends every login). Nothing secret is in the cookie:
 * the API token itself never leaves the login form's POST. The CSRF token of the session's forms is an HMAC of its
 * nonce under the same key.
 *
 * @param name    who is logged in, as the timeline records their steps (at most {@link #MAX_NAME} characters)
 * @param roles   role names held ({@link PagesConfig#tokenRoles()} for a token login)
 * @param nonce   random, 16 bytes base64url; tells sessions apart for the CSRF token
 * @param expires when the login ends
 */
public record PageSession(String name, List<String> roles, String nonce, Instant expires) {

    /** The cookie's name. */
    public static final String COOKIE = "rootcause_session";
    /** Characters kept of a name. */
    public static final int MAX_NAME = 100;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    public PageSession {
        roles = List.copyOf(roles);
    }

    /** A new session with a random nonce. */
    static PageSession start(String name, List<String> roles, Instant expires) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return new PageSession(name, roles, B64.encodeToString(nonce), expires);
    }

    /** The signing key for a secret (the API token, or a random per-process secret without one). */
    static byte[] key(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("rootcause-pages-session\n" + secret).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JRE has SHA-256
        }
    }

    /** The cookie value. */
    String encode(byte[] key) {
        String payload = String.join("|", "v1", Long.toString(expires.getEpochSecond()), nonce, String.join(",", roles), name);
        String p = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return p + "." + B64.encodeToString(hmac(key, p));
    }

    /** The session of a cookie value, or empty when it is malformed, forged or expired. */
    static Optional<PageSession> decode(String cookie, byte[] key, Instant now) {
        if (cookie == null) {
            return Optional.empty();
        }
        int dot = cookie.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String p = cookie.substring(0, dot);
        try {
            if (!MessageDigest.isEqual(hmac(key, p), Base64.getUrlDecoder().decode(cookie.substring(dot + 1)))) {
                return Optional.empty();
            }
            String[] parts = new String(Base64.getUrlDecoder().decode(p), StandardCharsets.UTF_8).split("\\|", 5);
            if (parts.length != 5 || !"v1".equals(parts[0])) {
                return Optional.empty();
            }
            Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[1]));
            if (!now.isBefore(expires)) {
                return Optional.empty();
            }
            List<String> roles = parts[3].isEmpty() ? List.of() : Arrays.asList(parts[3].split(","));
            return Optional.of(new PageSession(parts[4], roles, parts[2], expires));
        } catch (IllegalArgumentException e) { // bad base64 or number: not ours
            return Optional.empty();
        }
    }

    /** The CSRF token the session's forms carry. */
    String csrf(byte[] key) {
        return B64.encodeToString(hmac(key, "csrf|" + nonce));
    }

    /** True when {@code given} is the session's CSRF token (compared in constant time). */
    boolean csrfMatches(byte[] key, String given) {
        return given != null && MessageDigest.isEqual(csrf(key).getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** True when the session holds one of {@code allowed}. */
    boolean holdsAny(List<String> allowed) {
        return roles.stream().anyMatch(allowed::contains);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e); // every JRE has HmacSHA256
        }
    }
}
