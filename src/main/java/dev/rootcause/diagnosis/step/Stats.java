package dev.rootcause.diagnosis.step;

import java.util.Arrays;
import java.util.List;

/** The few statistics steps compare windows with; every step uses these, so "before vs after" means one thing. */
public final class Stats {

    private Stats() {
    }

    /** Arithmetic mean; NaN when empty. */
    public static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Population standard deviation; NaN when empty. */
    public static double stddev(List<Double> values) {
        double m = mean(values);
        return Math.sqrt(values.stream().mapToDouble(v -> (v - m) * (v - m)).average().orElse(Double.NaN));
    }

    /** The 95th percentile (nearest rank); NaN when empty. */
    public static double p95(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
    }

    /** after / before; 1 when both are 0, +Infinity when only before is 0. */
    public static double ratio(double before, double after) {
        if (before == 0) {
            return after == 0 ? 1.0 : Double.POSITIVE_INFINITY;
        }
        return after / before;
    }
}
