package dev.rootcause.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Retry-After} header (RFC 9110 §10.2.3): {@code delay-seconds} (digits only) or an HTTP-date
 * (§5.6.7: the IMF-fixdate {@code Sun, 06 Nov 1994 08:49:37 GMT}, which senders must use, and the obsolete
 * RFC 850 and asctime forms, which recipients should accept). A date in the past means wait 0; anything
 * else (negative numbers, words, a blank header) means the server named no wait. Every HTTP client of the
 * service reads the header here, so a date is honoured everywhere or nowhere.
 *
 * <p>The JDK has no parser for it: {@link DateTimeFormatter#RFC_1123_DATE_TIME} covers only the first date form.
 */
public final class RetryAfter {

    /**
     * The longest wait returned (about 31 years): a longer number is clamped, so {@link Duration#toMillis()}
     * never overflows in a caller. Callers cap the wait they honour far below this anyway.
     */
    static final Duration LONGEST = Duration.ofSeconds(999_999_999L);

    /**
     * RFC 850 after its day name: {@code 06-Nov-94 08:49:37 GMT}. The day name is checked apart: against
     * the parser's provisional century (20xx, see {@link #rfc850Year}) it would not match.
     */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("dd-MMM-").appendValueReduced(ChronoField.YEAR, 2, 2, 2000)
            .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** asctime: {@code Sun Nov  6 08:49:37 1994} (day padded with a space). */
    private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("EEE MMM ppd HH:mm:ss yyyy").toFormatter(Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private RetryAfter() {
    }

    /**
     * The wait a {@code Retry-After} value asks for.
     *
     * @param header the header's value, or null when the answer had none
     * @param clock  the time a date is measured from
     * @return the wait (zero for a date in the past, at most {@link #LONGEST}); empty when the header is
     *         absent, blank or neither form
     */
    public static Optional<Duration> parse(String header, Clock clock) {
        return parse(header, clock.instant());
    }

    /** {@link #parse(String, Clock)} measured from {@code now}. */
    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // more digits than a long holds still means "a very long time", not "no wait named"
            return Optional.of(value.length() > 9 ? LONGEST : Duration.ofSeconds(Long.parseLong(value)));
        }
        return date(value, now).map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO)
                .map(d -> d.compareTo(LONGEST) > 0 ? LONGEST : d);
    }

    private static Optional<Instant> date(String value, Instant now) {
        for (DateTimeFormatter f : List.of(DateTimeFormatter.RFC_1123_DATE_TIME, ASCTIME)) {
            try {
                return Optional.of(ZonedDateTime.parse(value, f).toInstant());
            } catch (DateTimeParseException notThisForm) {
                // try the next form
            }
        }
        int comma = value.indexOf(", ");
        try {
            ZonedDateTime at = rfc850Year(ZonedDateTime.parse(value.substring(comma + 2), RFC_850), now);
            String day = at.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            return comma > 0 && value.substring(0, comma).equalsIgnoreCase(day) ? Optional.of(at.toInstant()) : Optional.empty();
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }

    /** RFC 9110 §5.6.7: a two-digit year that looks more than 50 years ahead is the century before. */
    private static ZonedDateTime rfc850Year(ZonedDateTime at, Instant now) {
        return at.toInstant().isAfter(now.atZone(ZoneOffset.UTC).plusYears(50).toInstant()) ? at.minusYears(100) : at;
    }
}
