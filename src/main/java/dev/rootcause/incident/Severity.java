package dev.rootcause.incident;

import dev.rootcause.support.SeverityRank;

/**
 * Orders the free-text {@code severity} label values in common use (Prometheus mixins, PagerDuty,
 * Grafana) as {@link SeverityRank} does. Values not listed rank below {@code none} but above a missing label.
 */
public final class Severity {

    private Severity() {
    }

    /** The more severe of two values; null means "no severity". */
    public static String max(String a, String b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(String severity) {
        return SeverityRank.rank(severity);
    }
}
