package dev.rootcause.diagnosis.graph;

import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.port.TraceSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dependency edges read from sampled recent traces, for a trace backend whose dependency links are empty
 * (their batch job does not run on this storage, or has not run yet today). An edge is a client or producer
 * span's {@code peerService}, or a span whose parent was reported by another service (parent's service →
 * child's service; this also covers Zipkin's shared client/server span ids).
 */
public final class TraceSampling {

    /**
     * What sampling found.
     *
     * @param edges   caller → callee as the spans name them, origin {@code <backend> (sampled traces)}
     * @param sampled services whose traces were read
     * @param failed  services whose query failed, with the first failure's reason (null when none failed)
     */
    public record Sample(List<DependencyEdge> edges, int sampled, int failed, String firstFailure) {
    }

    private TraceSampling() {
    }

    /** The origin of edges sampled from {@code backend}'s traces, e.g. {@code zipkin (sampled traces)}. */
    public static String origin(String backend) {
        return backend + " (sampled traces)";
    }

    /**
     * Reads up to {@code tracesPerService} traces of each of {@code services} in {@code [since, until]}, one query
     * per service, one after the other (the graph is built in the background; a burst would compete with diagnoses).
     *
     * @throws SourceException the first failure, when every query failed
     */
    public static Sample sample(TraceSource traces, Collection<String> services, Instant since, Instant until,
            int tracesPerService) throws SourceException {
        String origin = origin(traces.name());
        Set<List<String>> pairs = new LinkedHashSet<>();
        int failed = 0;
        SourceException first = null;
        for (String service : services) {
            try {
                for (TraceSource.Trace trace : traces.traces(service, since, until, tracesPerService)) {
                    pairs.addAll(calls(trace));
                }
            } catch (SourceException e) {
                failed++;
                first = first == null ? e : first;
            }
        }
        if (!services.isEmpty() && failed == services.size()) {
            throw first;
        }
        List<DependencyEdge> edges = pairs.stream().map(p -> new DependencyEdge(p.get(0), p.get(1), Set.of(origin))).toList();
        return new Sample(edges, services.size() - failed, failed, first == null ? null : first.getMessage());
    }

    /** The (caller, callee) pairs one trace shows; self-calls left out. */
    static Set<List<String>> calls(TraceSource.Trace trace) {
        Map<String, List<TraceSource.Span>> byId = new HashMap<>();
        for (TraceSource.Span s : trace.spans()) {
            byId.computeIfAbsent(s.spanId(), k -> new ArrayList<>()).add(s);
        }
        Set<List<String>> out = new LinkedHashSet<>();
        for (TraceSource.Span s : trace.spans()) {
            if (s.outgoing() && s.peerService() != null) {
                add(out, s.service(), s.peerService());
            }
            if (s.parentId() != null) {
                for (TraceSource.Span parent : byId.getOrDefault(s.parentId(), List.of())) {
                    add(out, parent.service(), s.service());
                }
            }
        }
        return out;
    }

    private static void add(Set<List<String>> out, String caller, String callee) {
        if (caller == null || callee == null || caller.isBlank() || callee.isBlank() || "unknown".equals(caller)
                || caller.equalsIgnoreCase(callee)) {
            return;
        }
        out.add(List.of(caller, callee));
    }
}
