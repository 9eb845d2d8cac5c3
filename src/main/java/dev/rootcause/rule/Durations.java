package dev.rootcause.rule;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as rules and the API write them: Prometheus style {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 7d}. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException naming the text when it is not a positive duration, or is too long for a
     *                                  {@link Duration} (e.g. {@code 99999999999999999h})
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected a duration like 30m, got nothing");
        }
        Matcher m = PART.matcher(text.strip());
        Duration total = Duration.ZERO;
        int end = 0;
        try {
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofDays(Math.multiplyExact(7, n));
                });
                end = m.end();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // more digits than a long holds, or more seconds than a Duration does
            throw new IllegalArgumentException("duration \"" + text + "\" is too long to represent");
        }
        if (end != text.strip().length() || total.isZero()) {
            throw new IllegalArgumentException("expected a duration like 30m or 1h30m, got \"" + text + '"');
        }
        return total;
    }

    /** Shortest Prometheus spelling: 3600s → "1h", 90s → "1m30s". */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder out = new StringBuilder();
        long[] units = {86400, 3600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (s >= units[i]) {
                out.append(s / units[i]).append(names[i]);
                s %= units[i];
            }
        }
        return out.toString();
    }

    /** A duration as people say it: "45 s", "4 min", "5 h", "3 days" (rounded down). */
    public static String span(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 2 * 3600) {
            return s / 60 + " min";
        }
        if (s < 48 * 3600) {
            return s / 3600 + " h";
        }
        return String.format(Locale.ROOT, "%d days", s / 86400);
    }
}
