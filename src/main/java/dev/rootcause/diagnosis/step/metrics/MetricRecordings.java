package dev.rootcause.diagnosis.step.metrics;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How the metrics family records a backend answer on its evidence (for export as a rule test, and the report's chart). */
public final class MetricRecordings {

    /** The evidence kind of metric answers, and the tag of their recordings. */
    public static final String KIND = "metric";

    private MetricRecordings() {
    }

    /**
     * The series of a {@link MetricsSource.Result} in the Prometheus API's matrix shape
     * ({@code [{"metric": {...}, "values": [[unixSeconds, "value"], ...]}]}), values as Prometheus writes them
     * ({@code NaN}, {@code +Inf}, {@code -Inf}).
     */
    public static Evidence.Recorded of(String query, MetricsSource.Result result) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MetricsSource.Series s : result.series()) {
            List<List<Object>> points = new ArrayList<>();
            for (int i = 0; i < s.times().size(); i++) {
                Instant t = s.times().get(i);
                double v = s.values()[i];
                String text = Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : Double.toString(v);
                points.add(List.of(t.getEpochSecond() + t.getNano() / 1e9, text));
            }
            out.add(Map.of("metric", s.labels(), "values", points));
        }
        return new Evidence.Recorded(query, out, KIND);
    }

    /** The answers a failed query still got (the convention detection before a signal was found missing). */
    public static List<Evidence.Recorded> of(MetricsSourceException e) {
        return e instanceof Unresolved u ? u.recorded : List.of();
    }

    /**
     * A signal no detected convention has ({@code no_data}): the detection's answer is kept, so a rule test
     * exported from the diagnosis replays the same detection.
     */
    static final class Unresolved extends MetricsSourceException {

        private final transient List<Evidence.Recorded> recorded;

        Unresolved(String message, List<Evidence.Recorded> recorded) {
            super(Evidence.Status.NO_DATA, message);
            this.recorded = List.copyOf(recorded);
        }
    }
}
