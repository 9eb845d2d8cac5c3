package dev.rootcause.diagnosis.graph;

import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.port.TraceSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Builds one {@link DependencyGraph}: asks every source at once, falls back to sampled traces where a trace
 * backend's dependency links are empty, normalizes names ({@link NodeNames}) and merges the same edge seen by
 * several sources into one edge with all their origins. Self-calls are left out; cycles are kept.
 */
public final class GraphBuilder {

    /**
     * @param lookback         how far back the sources look, ending at the build
     * @param sampleServices   at most this many services' traces are sampled when dependency links are empty
     * @param tracesPerService traces read per sampled service
     * @param sourceTimeout    a source still busy after this is recorded as {@code timeout} and left behind
     */
    public record Settings(Duration lookback, int sampleServices, int tracesPerService, Duration sourceTimeout) {
    }

    /** What one source answered: edges, or the failure's status and reason. */
    private record Answer(List<DependencyEdge> edges, String failure) {
    }

    private final Settings settings;
    private final Clock clock;

    public GraphBuilder(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param sources the edge sources, asked concurrently
     * @param traces  the trace backend to sample when a {@link TraceDependencySource} of the same name answers
     *                empty, or null
     * @param names   how nodes are named (from the catalogue in force)
     * @param known   services known besides the sources' answers (the catalogue's), candidates for sampling
     */
    public DependencyGraph build(List<EdgeSource> sources, TraceSource traces, NodeNames names, List<String> known) {
        Instant until = clock.instant();
        Instant since = until.minus(settings.lookback());
        List<EdgeSource> ordered = sources.stream().sorted(Comparator.comparing(EdgeSource::name)).toList();
        Map<EdgeSource, Answer> answers = ask(ordered, since, until);
        Map<String, String> report = new LinkedHashMap<>();
        List<DependencyEdge> all = new ArrayList<>();
        for (EdgeSource source : ordered) {
            Answer a = answers.get(source);
            if (a.failure() != null) {
                report.put(source.name(), a.failure());
            } else if (!a.edges().isEmpty()) {
                report.put(source.name(), a.edges().size() + " edges");
                all.addAll(a.edges());
            } else if (source instanceof TraceDependencySource links) {
                report.put(source.name(), sampled(links, traces, names, known, answers, since, until, all));
            } else {
                report.put(source.name(), "empty");
            }
        }
        return new DependencyGraph(merge(all, names), report, until);
    }

    private Map<EdgeSource, Answer> ask(List<EdgeSource> sources, Instant since, Instant until) {
        Map<EdgeSource, Answer> answers = new LinkedHashMap<>();
        if (sources.isEmpty()) {
            return answers;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(sources.size(), 4), r -> {
            Thread t = new Thread(r, "rootcause-graph-source");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<EdgeSource, Future<List<DependencyEdge>>> futures = new LinkedHashMap<>();
            for (EdgeSource s : sources) {
                futures.put(s, pool.submit(() -> s.edges(since, until)));
            }
            long deadline = System.nanoTime() + settings.sourceTimeout().toNanos();
            for (var f : futures.entrySet()) {
                answers.put(f.getKey(), answer(f.getValue(), deadline));
            }
        } finally {
            pool.shutdownNow();
        }
        return answers;
    }

    private Answer answer(Future<List<DependencyEdge>> future, long deadline) {
        try {
            return new Answer(future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Answer(List.of(), "timeout: no answer within " + settings.sourceTimeout().toSeconds() + "s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SourceException s) {
                return new Answer(List.of(), s.status().wire() + ": " + s.getMessage());
            }
            return new Answer(List.of(), "error: " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
                    + cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(List.of(), "timeout: interrupted");
        }
    }

    /** Samples traces for an empty dependency-links answer; adds what it finds to {@code all}; says what happened. */
    private String sampled(TraceDependencySource links, TraceSource traces, NodeNames names, List<String> known,
            Map<EdgeSource, Answer> answers, Instant since, Instant until, List<DependencyEdge> all) {
        String empty = "empty (the dependencies job may not run on this storage)";
        if (traces == null || !traces.name().equals(links.name())) {
            return empty + "; no trace source of the same backend to sample";
        }
        List<String> services = candidates(links, names, known, answers);
        if (services.isEmpty()) {
            return empty + "; no known service to sample traces of";
        }
        try {
            TraceSampling.Sample sample = TraceSampling.sample(traces, services, since, until, settings.tracesPerService());
            all.addAll(sample.edges());
            return empty + "; took " + sample.edges().size() + " edges from sampled traces of " + sample.sampled() + " services"
                    + (sample.failed() == 0 ? "" : " (" + sample.failed() + " failed: " + sample.firstFailure() + ")");
        } catch (SourceException e) {
            return empty + "; sampling traces failed: " + e.getMessage();
        }
    }

    /**
     * Services to sample: the backend's own list when it answers, else those other sources and the catalogue
     * know; at most {@link Settings#sampleServices()}, in name order.
     */
    private List<String> candidates(TraceDependencySource links, NodeNames names, List<String> known, Map<EdgeSource, Answer> answers) {
        Set<String> services = new TreeSet<>();
        try {
            links.services().stream().filter(s -> s != null && !s.isBlank()).forEach(services::add);
        } catch (SourceException e) {
            // the backend could not list its services: sample the services we know of instead
        }
        if (services.isEmpty()) {
            known.forEach(services::add);
            answers.values().forEach(a -> a.edges().forEach(e -> {
                services.add(names.normalize(e.caller()));
                services.add(names.normalize(e.callee()));
            }));
        }
        return services.stream().limit(settings.sampleServices()).toList();
    }

    /** Normalized, self-calls dropped, one edge per (caller, callee) with the union of origins, sorted. */
    static List<DependencyEdge> merge(List<DependencyEdge> edges, NodeNames names) {
        Map<List<String>, Set<String>> merged = new TreeMap<>(Comparator.<List<String>, String>comparing(k -> k.get(0))
                .thenComparing(k -> k.get(1)));
        for (DependencyEdge e : edges) {
            String caller = names.normalize(e.caller());
            String callee = names.normalize(e.callee());
            if (caller.isEmpty() || callee.isEmpty() || caller.equals(callee)) {
                continue;
            }
            merged.computeIfAbsent(List.of(caller, callee), k -> new TreeSet<>()).addAll(e.origins());
        }
        return merged.entrySet().stream().map(m -> new DependencyEdge(m.getKey().get(0), m.getKey().get(1), m.getValue())).toList();
    }
}
