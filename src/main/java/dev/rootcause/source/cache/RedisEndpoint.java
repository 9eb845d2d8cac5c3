package dev.rootcause.source.cache;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how to reach one Redis instance.
 *
 * @param port     TCP port (default 6379)
 * @param database the {@code /db} of the URL (default 0); shown in the address only: INFO is server-wide,
 *                 so it is never {@code SELECT}ed
 * @param tls      {@code rediss://}
 * @param timeout  connect and read timeout per command
 */
public record RedisEndpoint(String host, int port, int database, boolean tls, Optional<String> username,
        Optional<String> password, Duration timeout) {

    /**
     * @param url      {@code redis://[user[:password]@]host[:port][/db]} or {@code rediss://...}
     * @param username overrides the URL's user when present
     * @param password overrides the URL's password when present
     * @throws IllegalArgumentException when the URL is not a Redis URL; the message never contains the password
     */
    public static RedisEndpoint of(String url, Optional<String> username, Optional<String> password, Duration timeout) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL (expected redis://host:port/db)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("scheme must be redis:// or rediss://, got " + (scheme.isEmpty() ? "none" : scheme));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host (expected redis://host:port/db)");
        }
        int database = 0;
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        if (!path.isEmpty()) {
            try {
                database = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("database must be a number, got /" + path);
            }
        }
        Optional<String> user = username;
        Optional<String> pass = password;
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            String u = decode(colon < 0 ? info : info.substring(0, colon));
            if (user.isEmpty() && !u.isEmpty() && colon >= 0) {
                user = Optional.of(u);
            }
            if (pass.isEmpty()) {
                // redis://secret@host (no colon) is a password alone, as redis-cli reads it
                pass = Optional.of(colon < 0 ? u : decode(info.substring(colon + 1)));
            }
        }
        return new RedisEndpoint(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), database, scheme.equals("rediss"),
                user.filter(s -> !s.isEmpty()), pass.filter(s -> !s.isEmpty()), timeout);
    }

    /** {@code redis://host:port/db}: what evidence and logs show; no user, no password. */
    public String address() {
        return (tls ? "rediss://" : "redis://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }

    /** The text with the password replaced by {@code ***}: for any message that may echo what was sent. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        return password.filter(p -> p.length() >= 3).map(p -> text.replace(p, "***")).orElse(text);
    }

    @Override
    public String toString() {
        return address();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
