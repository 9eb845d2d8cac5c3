package dev.rootcause.incident;

import java.util.List;
import java.util.Locale;

/**
 * Orders the free-text {@code severity} label values in common use (Prometheus mixins, PagerDuty,
 * Grafana). Values not listed rank below {@code none} but above a missing label.
 */
public final class Severity {

    private static final List<String> ORDER = List.of("critical", "high", "error", "major", "warning", "medium",
            "minor", "low", "info", "none");

    private Severity() {
    }

    /** The more severe of two values; null means "no severity". */
    public static String max(String a, String b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(String severity) {
        if (severity == null || severity.isBlank()) {
            return -1;
        }
        int i = ORDER.indexOf(severity.toLowerCase(Locale.ROOT));
        return i < 0 ? 0 : ORDER.size() - i;
    }
}
