package dev.rootcause.diagnosis.step.graph;

import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.ChangeSourceException;
import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.rule.ServiceCatalogue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether an anomalous component's anomaly has its own explanation: a change event of it in the window, CPU
 * throttling (saturation: a quarter or more of its CFS periods throttled, at least twice the share before and beyond
 * its noise, as rule {@code cpu-throttling} judges it; else its CPU usage rising {@link #CPU_RISE} times beyond its noise),
 * or a failing health probe (the catalogue's health URL of the
 * dependency, as its caller lists it). Throttling is asked for a whole level in one query.
 */
final class Explanations {

    /** Throttled share of CFS periods from which a container counts as throttled (as rule cpu-throttling). */
    static final double THROTTLED = 0.25;

    /** CPU usage after / before from which a component's own work counts as grown (as a latency anomaly: 1.5). */
    static final double CPU_RISE = 1.5;

    private final List<ChangeSource> changes;
    private final HttpProber prober;
    private final ServiceCatalogue catalogue;

    Explanations(List<ChangeSource> changes, HttpProber prober, ServiceCatalogue catalogue) {
        this.changes = changes == null ? List.of() : changes;
        this.prober = prober;
        this.catalogue = catalogue;
    }

    /**
     * Per component its explanation, for those that have one.
     *
     * @param callers component → its callers (whose catalogue entries may list a health URL for it)
     * @param problems receives what could not be asked, e.g. "throttling: prometheus error: …"
     */
    Map<String, String> of(List<String> components, Map<String, List<String>> callers, LevelQueries queries, LevelQueries.Window w,
            List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (components.isEmpty()) {
            return out;
        }
        out.putAll(saturation(components, queries, w, problems, true));
        for (String c : components) {
            if (!out.containsKey(c)) {
                change(c, w, problems).ifPresent(why -> out.put(c, why));
            }
        }
        Map<String, String> probes = probes(components.stream().filter(c -> !out.containsKey(c)).toList(), callers, problems);
        probes.forEach((c, why) -> {
            if (why != null) {
                out.putIfAbsent(c, why);
            }
        });
        return out;
    }

    /**
     * Per component its CPU usage, for those whose usage rose at least {@link #CPU_RISE} times and beyond its noise
     * (3σ of the window before): one query for them all. A rise in cores used, not a share of a limit (cAdvisor has
     * no limit without the quota series): supporting evidence that the component's own work grew.
     */
    Map<String, String> cpu(List<String> components, LevelQueries queries, LevelQueries.Window w, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (components.isEmpty()) {
            return out;
        }
        try {
            queries.cpu(components, w).series().forEach((c, s) -> {
                Reading r = Reading.of(s, w.at(), false);
                if (r.measured() && r.ratio() >= CPU_RISE && r.after() - r.before() > Reading.NOISE_FACTOR * r.noise()) {
                    out.put(c, String.format(Locale.ROOT, "CPU usage rose %s→%s cores (×%.1f)", WalkSignal.num(r.before()),
                            WalkSignal.num(r.after()), r.ratio()));
                }
            });
        } catch (MetricsSourceException e) {
            problems.add("CPU usage of " + String.join(", ", components) + ": " + e.status().wire() + ": " + e.getMessage());
        }
        return out;
    }

    /** Per component its CPU throttling (one query), else its CPU usage rising (one more), for those saturated. */
    Map<String, String> saturation(List<String> components, LevelQueries queries, LevelQueries.Window w, List<String> problems,
            boolean withUsage) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            LevelQueries.Answer a = queries.throttling(components, w);
            a.series().forEach((c, s) -> throttled(s, w).ifPresent(why -> out.put(c, why)));
        } catch (MetricsSourceException e) {
            problems.add("CPU throttling of " + String.join(", ", components) + ": " + e.status().wire() + ": " + e.getMessage());
        }
        if (withUsage) {
            out.putAll(cpu(components.stream().filter(c -> !out.containsKey(c)).toList(), queries, w, problems));
        }
        return out;
    }

    /**
     * Health probes of the components whose caller's catalogue entry lists a health URL, in parallel.
     *
     * @return component → why the probe failed (null when it answered healthy); components without a URL absent
     */
    Map<String, String> probes(List<String> components, Map<String, List<String>> callers, List<String> problems) {
        Map<String, CompletableFuture<HttpProber.ProbeResult>> running = new LinkedHashMap<>();
        if (prober == null) {
            return Map.of();
        }
        for (String c : components) {
            health(c, callers.getOrDefault(c, List.of())).ifPresent(d -> running.put(c, prober.probe(d)));
        }
        Map<String, String> out = new LinkedHashMap<>();
        running.forEach((c, f) -> {
            try {
                HttpProber.ProbeResult r = f.get(30, TimeUnit.SECONDS);
                if (r.outcome() == HttpProber.Outcome.UNREACHABLE) { // where rootcause stands, not how the component is
                    problems.add("probe of " + c + ": unreachable from rootcause (" + r.error() + "), not evidence that it is down");
                    return;
                }
                out.put(c, r.healthy() ? null : "health probe " + r.outcome().wire() + " (" + r.url() + (r.error() == null ? "" : ": " + r.error()) + ")");
            } catch (Exception e) {
                problems.add("probe of " + c + ": " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
            }
        });
        return out;
    }

    private Optional<ServiceCatalogue.Dependency> health(String component, List<String> callers) {
        for (String caller : callers) {
            Optional<ServiceCatalogue.Dependency> d = catalogue.find(caller).flatMap(s -> s.dependency(component));
            if (d.isPresent() && d.get().health() != null) {
                return d;
            }
        }
        return Optional.empty();
    }

    private Optional<String> change(String component, LevelQueries.Window w, List<String> problems) {
        for (ChangeSource source : changes) {
            try {
                List<ChangeEvent> found = source.changes(component, w.start(), w.end());
                if (!found.isEmpty()) {
                    ChangeEvent c = found.get(0);
                    return Optional.of("a " + c.kind() + " of " + component + (c.version() == null ? "" : " to " + c.version()) + " at " + c.time());
                }
            } catch (ChangeSourceException e) {
                problems.add("changes of " + component + " (" + source.name() + "): " + e.status().wire() + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> throttled(MetricsSource.Series s, LevelQueries.Window w) {
        Reading r = Reading.of(s, w.at(), false);
        if (r.measured() && r.after() >= THROTTLED && r.after() >= 2 * r.before() && r.after() - r.before() > Reading.NOISE_FACTOR * r.noise()) {
            return Optional.of(String.format(Locale.ROOT, "CPU throttled: %.0f%% of CFS periods against %.0f%% before", 100 * r.after(),
                    100 * r.before()));
        }
        return Optional.empty();
    }

    /** Anomalous components as anomalous the same window a day before: their daily pattern, not a cause. */
    void daily(List<WalkNode> anomalous, LevelQueries q, LevelQueries.Window w, GraphWalk.Request r, List<String> problems) {
        if (anomalous.isEmpty()) {
            return;
        }
        try {
            LevelQueries.Answer yesterday = q.server(anomalous.stream().map(n -> n.name).toList(), r.signal().serverSignal(), w, "1d");
            for (WalkNode n : anomalous) {
                var s = yesterday.series().get(n.name);
                Reading y = s == null ? null : Reading.of(s, r.at(), false);
                if (y != null && y.anomalous(r.minRatio(), r.minAfter()) && n.reading.after() <= 1.5 * y.after()) {
                    n.state = "daily";
                    n.why = "as " + (r.signal() == WalkSignal.LATENCY ? "slow" : "failing") + " the same time a day before ("
                            + r.signal().range(y.before(), y.after()) + "): its daily pattern";
                }
            }
        } catch (MetricsSourceException e) {
            problems.add("the day before: " + e.getMessage());
        }
    }
}
