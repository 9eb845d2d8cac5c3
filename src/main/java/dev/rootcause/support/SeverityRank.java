package dev.rootcause.support;

import java.util.List;
import java.util.Locale;

/**
 * How severe a free-text {@code severity} label value is (Prometheus mixins, PagerDuty, Grafana): the one order
 * both incidents (which keep the most severe of their alerts) and the backend gates (which serve the most severe
 * diagnosis first) use.
 */
public final class SeverityRank {

    /** Most severe first; values not listed rank below {@code none} but above a missing label. */
    static final List<String> ORDER = List.of("critical", "high", "error", "major", "warning", "medium",
            "minor", "low", "info", "none");

    private SeverityRank() {
    }

    /**
     * @return higher for more severe: {@code critical} is 10, {@code none} 1, an unknown value 0, null or blank −1
     */
    public static int rank(String severity) {
        if (severity == null || severity.isBlank()) {
            return -1;
        }
        int i = ORDER.indexOf(severity.toLowerCase(Locale.ROOT));
        return i < 0 ? 0 : ORDER.size() - i;
    }

    /** The order in which to serve: 0 for {@code critical}, growing as severity falls; a missing label last (11). */
    public static int priority(String severity) {
        return ORDER.size() - rank(severity);
    }
}
