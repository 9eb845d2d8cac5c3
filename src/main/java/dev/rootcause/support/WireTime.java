package dev.rootcause.support;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The one bound on times read from a request body (alert webhooks, change events, change webhooks): years 0000–9999,
 * in UTC, as RFC 3339 writes them (its {@code date-fullyear} is four digits) and as rootcause writes them back.
 * java.time reads {@code +10000-01-01T00:00:00Z}, {@code -0001-...} and epoch milliseconds far past 9999, and the
 * store then fails on them (PostgreSQL's {@code timestamptz} ends in 294276) or answers them in a form no reader
 * expects: an accepted delivery that cannot be kept. docs/api.md: years outside 0000–9999 are {@code 400}.
 */
public final class WireTime {

    /** The first instant accepted: {@code 0000-01-01T00:00:00Z}. */
    public static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    /** The last instant accepted: {@code 9999-12-31T23:59:59.999999999Z}. */
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static final Pattern FOUR_DIGIT_YEAR = Pattern.compile("^\\d{4}-.*", Pattern.DOTALL);

    private WireTime() {
    }

    /**
     * An RFC 3339 time with an offset, e.g. {@code 2024-05-14T08:55:12Z}.
     *
     * @throws DateTimeParseException when unreadable, or its year (as written, or in UTC) is outside 0000–9999
     */
    public static Instant rfc3339(String text) {
        return parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /**
     * A time in {@code format} (which must give an offset), whose text starts with a four-digit year.
     *
     * @throws DateTimeParseException when unreadable, or its year (as written, or in UTC) is outside 0000–9999
     */
    public static Instant parse(String text, DateTimeFormatter format) {
        if (!FOUR_DIGIT_YEAR.matcher(text).matches()) {
            throw new DateTimeParseException("expected a four-digit year (0000-9999)", text, 0);
        }
        Instant t = OffsetDateTime.parse(text, format).toInstant();
        if (problem(t) != null) {
            throw new DateTimeParseException(problem(t), text, 0);
        }
        return t;
    }

    /** Null when {@code t} is within years 0000–9999 in UTC, else what is wrong with it (for a 400's message). */
    public static String problem(Instant t) {
        if (t.isBefore(MIN) || t.isAfter(MAX)) {
            return "year " + t.atOffset(ZoneOffset.UTC).getYear() + " in UTC is outside 0000-9999";
        }
        return null;
    }
}
