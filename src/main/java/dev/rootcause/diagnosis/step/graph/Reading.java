package dev.rootcause.diagnosis.step.graph;

import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.step.Stats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One component's signal before and after the walk's instant, judged with the noise test of
 * {@code metrics.compare}: a change counts when it exceeds {@link #NOISE_FACTOR} standard deviations of the
 * component's own before window (so a component slow all along is normal: it is compared with itself).
 *
 * @param before mean before the instant, or before the onset when the anomaly began earlier (seconds for latency,
 *               0-1 for errors); NaN without samples (0 on the client side: a dependency not called before)
 * @param after  mean from the instant on
 * @param noise  standard deviation of the before window
 * @param onset  the first sample above the before window's band (mean + 3σ), walked back over the samples just
 *               before it that are above it too; null when none is
 * @param client read from the callers' client metrics (the component has no server-side series)
 */
record Reading(double before, double after, double noise, Instant onset, boolean client) {

    /** As {@code metrics.compare}: ≈ 3σ, 0.3 % by chance under normality. */
    static final double NOISE_FACTOR = 3.0;

    /** The reading of a series split at {@code at}; NaN and infinite samples are left out. */
    static Reading of(MetricsSource.Series s, Instant at, boolean client) {
        List<Double> b = new ArrayList<>();
        List<Double> a = new ArrayList<>();
        for (int i = 0; i < s.times().size(); i++) {
            double v = s.values()[i];
            if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                (s.times().get(i).isBefore(at) ? b : a).add(v);
            }
        }
        double before = b.isEmpty() ? (client ? 0.0 : Double.NaN) : Stats.mean(b);
        double noise = b.isEmpty() ? 0.0 : Stats.stddev(b);
        Instant onset = onset(s, at, before, noise);
        if (onset != null && onset.isBefore(at)) {
            // it began before the alert: the baseline is what came before it, not the start of the anomaly
            List<Double> clean = new ArrayList<>();
            for (int i = 0; i < s.times().size() && s.times().get(i).isBefore(onset); i++) {
                if (!Double.isNaN(s.values()[i]) && !Double.isInfinite(s.values()[i])) {
                    clean.add(s.values()[i]);
                }
            }
            if (!clean.isEmpty()) {
                before = Stats.mean(clean);
                noise = Stats.stddev(clean);
            }
        }
        return new Reading(before, Stats.mean(a), noise, onset, client);
    }

    /** Whether there is something to compare: samples after the instant, and before it (server side). */
    boolean measured() {
        return !Double.isNaN(before) && !Double.isNaN(after);
    }

    /** Rose beyond its noise, by at least {@code minRatio} times, past {@code minAfter}. */
    boolean anomalous(double minRatio, double minAfter) {
        return measured() && after - before > NOISE_FACTOR * noise && after > minAfter && Stats.ratio(before, after) >= minRatio;
    }

    /** after / before. */
    double ratio() {
        return Stats.ratio(before, after);
    }

    /**
     * The onset: the first sample at or after {@code at} above mean + 3σ of the before window, walked back over the
     * contiguous samples before it that are above the band too (an anomaly that began before the alert is dated when
     * it began). The band is at least 1 % of the mean, so a perfectly flat baseline does not date every wiggle.
     */
    static Instant onset(MetricsSource.Series s, Instant at, double before, double noise) {
        if (Double.isNaN(before)) {
            return null;
        }
        double band = before + Math.max(NOISE_FACTOR * noise, 0.01 * Math.abs(before));
        int first = -1;
        for (int i = 0; i < s.times().size() && first < 0; i++) {
            double v = s.values()[i];
            if (!s.times().get(i).isBefore(at) && !Double.isNaN(v) && v > band) {
                first = i;
            }
        }
        if (first < 0) {
            return null;
        }
        int start = first;
        for (int i = first - 1; i >= 0; i--) {
            double v = s.values()[i];
            if (Double.isNaN(v)) {
                continue;
            }
            if (v <= band) {
                break;
            }
            start = i;
        }
        return s.times().get(start);
    }
}
