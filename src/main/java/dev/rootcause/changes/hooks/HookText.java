package dev.rootcause.changes.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.changes.ChangeRequest;
import dev.rootcause.support.WireTime;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Pattern;

/** Reading the webhook bodies: text at a JSON path, the senders' time formats, short commit ids. */
final class HookText {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    /**
     * {@code 2021-04-28 21:50:00 +0200} and {@code 2025-01-15 12:20:00 UTC} (GitLab's {@code status_changed_at}),
     * {@code 2020-07-17T08:42:58.315+0000} (PagerDuty's documented example), and RFC 3339.
     */
    private static final DateTimeFormatter LENIENT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd").optionalStart().appendLiteral('T').optionalEnd().optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral("UTC").parseDefaulting(ChronoField.OFFSET_SECONDS, 0).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private HookText() {
    }

    /** The text at {@code path} (dot-separated), or null when absent, null, not a scalar or blank. */
    static String text(JsonNode body, String path) {
        JsonNode n = body;
        for (String part : path.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        if (n == null || n.isNull() || n.isContainerNode()) {
            return null;
        }
        String s = n.asText();
        return s.isBlank() ? null : s;
    }

    /** The text at {@code path}, required. @throws ChangeRequest.Rejected naming the path */
    static String required(JsonNode body, String path) {
        String s = text(body, path);
        if (s == null) {
            throw new ChangeRequest.Rejected(path, "required");
        }
        return s;
    }

    /**
     * A time in one of the senders' formats, or null when absent.
     *
     * @throws ChangeRequest.Rejected naming the path when present and unreadable
     */
    static Instant time(JsonNode body, String path) {
        String s = text(body, path);
        if (s == null) {
            return null;
        }
        try {
            return WireTime.parse(s.strip(), LENIENT);
        } catch (DateTimeParseException e) {
            throw new ChangeRequest.Rejected(path, "expected a time (years 0000-9999) such as 2024-05-14T08:55:12Z or 2021-04-28 21:50:00 +0200; got \""
                    + (s.length() > 64 ? s.substring(0, 64) + "…" : s) + '"');
        }
    }

    /** A full git commit id shortened to 12 characters (as {@code git log --abbrev=12}); anything else as it is. */
    static String shortSha(String s) {
        return s != null && SHA.matcher(s).matches() ? s.substring(0, 12) : s;
    }

    /** {@code s} with every character outside {@link ChangeRequest#ID} replaced by {@code _}, at most {@code max} long. */
    static String idPart(String s, int max) {
        String out = s.replaceAll("[^A-Za-z0-9._:@+-]", "_");
        return out.length() > max ? out.substring(0, max) : out;
    }
}
