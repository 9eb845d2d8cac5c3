package dev.rootcause.source.metrics;

import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.graph.EdgeSource;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Edges from one PromQL instant query over all services at once:
 * {@code sum by (<caller labels>, <callee label>) (rate(<series>[<lookback>]))} at the end of the window. Each
 * answered series with a positive rate is an edge from the first non-empty caller label (in the order given)
 * to the callee label. One query per source and build, never one per service.
 */
final class PromQlEdgeSource implements EdgeSource {

    private final String name;
    private final String series;
    private final List<String> callerLabels;
    private final String calleeLabel;
    private final MetricsSource metrics;

    /**
     * @param name         e.g. {@code client metrics (micrometer)}
     * @param series       a series selector, e.g. {@code istio_requests_total{reporter="source"}}
     * @param callerLabels labels that may name the caller, in order of preference
     * @param calleeLabel  the label naming the callee
     */
    PromQlEdgeSource(String name, String series, List<String> callerLabels, String calleeLabel, MetricsSource metrics) {
        this.name = name;
        this.series = series;
        this.callerLabels = List.copyOf(callerLabels);
        this.calleeLabel = calleeLabel;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return name;
    }

    /** The query as sent for a window of {@code lookback}. */
    String query(Duration lookback) {
        List<String> by = new ArrayList<>(callerLabels);
        by.add(calleeLabel);
        // whole seconds: PromQL durations take no fractions ("1.5s" is invalid)
        return "sum by (" + String.join(", ", by) + ") (rate(" + series + "[" + Math.max(1, lookback.toSeconds()) + "s]))";
    }

    @Override
    public List<DependencyEdge> edges(Instant since, Instant until) throws MetricsSourceException {
        if (!MetricsSource.PROMQL.equals(metrics.language())) {
            // a PromQL series pattern means nothing to another backend (Datadog's edges come from its own source)
            throw new MetricsSourceException(dev.rootcause.diagnosis.Evidence.Status.SKIPPED, "the metrics source speaks "
                    + metrics.language() + ", not PromQL");
        }
        MetricsSource.Result result = metrics.instant(query(Duration.between(since, until)), until);
        List<DependencyEdge> out = new ArrayList<>();
        for (MetricsSource.Series s : result.series()) {
            double rate = s.values().length == 0 ? Double.NaN : s.values()[s.values().length - 1];
            String callee = s.labels().getOrDefault(calleeLabel, "");
            String caller = callerLabels.stream().map(l -> s.labels().getOrDefault(l, "")).filter(v -> !v.isBlank()).findFirst().orElse("");
            // rate > 0: a series with no calls in the window is no evidence of a call (NaN fails this too);
            // Istio writes "unknown" where it could not tell a workload
            if (rate > 0 && named(caller) && named(callee)) {
                out.add(new DependencyEdge(caller, callee, Set.of(name)));
            }
        }
        return out;
    }

    private static boolean named(String v) {
        return !v.isBlank() && !"unknown".equalsIgnoreCase(v);
    }
}
