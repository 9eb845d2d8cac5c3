package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.graph.DependencyGraphs;
import dev.rootcause.diagnosis.port.CacheSource;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.diagnosis.port.ItemHistorySource;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.diagnosis.step.metrics.ConventionResolver;
import dev.rootcause.rule.ServiceCatalogue;
import java.util.List;
import java.util.function.Supplier;

/**
 * The backends and tables the step types are built from ({@link StepCatalogue}): the service's (CDI,
 * {@link ServiceSteps}) or a rule test's recorded answers (the rule-test registry).
 *
 * @param metrics     the metrics backend
 * @param conventions resolves {@code signal:} over {@code metrics}; null refuses signals
 * @param cache       the cache backend (Redis {@code INFO})
 * @param traces      the trace backend, or null when none is configured (trace steps then end {@code skipped})
 * @param logs        the log backend, or null when none is configured (log steps then end {@code skipped})
 * @param catalogue   {@code services.yaml}: the dependencies probe steps may call
 * @param prober      the dependency prober
 * @param changes     the change backends, asked at each run (a backend may be looked up lazily)
 * @param graph       the dependency graph in force, or null: {@code graph.walk} then walks the catalogue's dependencies
 * @param items       the item history backend (Zabbix), or null when none is configured ({@code items.compare} then
 *                    ends {@code skipped})
 */
public record StepPorts(MetricsSource metrics, ConventionResolver conventions, CacheSource cache, TraceSource traces,
        LogSource logs, ServiceCatalogue catalogue, HttpProber prober, Supplier<List<ChangeSource>> changes, DependencyGraphs graph,
        ItemHistorySource items) {

    /** Ports without an item history backend. */
    public StepPorts(MetricsSource metrics, ConventionResolver conventions, CacheSource cache, TraceSource traces,
            LogSource logs, ServiceCatalogue catalogue, HttpProber prober, Supplier<List<ChangeSource>> changes, DependencyGraphs graph) {
        this(metrics, conventions, cache, traces, logs, catalogue, prober, changes, graph, null);
    }

    /** Ports without a dependency graph. */
    public StepPorts(MetricsSource metrics, ConventionResolver conventions, CacheSource cache, TraceSource traces,
            LogSource logs, ServiceCatalogue catalogue, HttpProber prober, Supplier<List<ChangeSource>> changes) {
        this(metrics, conventions, cache, traces, logs, catalogue, prober, changes, null);
    }

    public StepPorts withGraph(DependencyGraphs g) {
        return new StepPorts(metrics, conventions, cache, traces, logs, catalogue, prober, changes, g, items);
    }

    public StepPorts withMetrics(MetricsSource m, ConventionResolver c) {
        return new StepPorts(m, c, cache, traces, logs, catalogue, prober, changes, graph, items);
    }

    public StepPorts withCache(CacheSource c) {
        return new StepPorts(metrics, conventions, c, traces, logs, catalogue, prober, changes, graph, items);
    }

    public StepPorts withTraces(TraceSource t) {
        return new StepPorts(metrics, conventions, cache, t, logs, catalogue, prober, changes, graph, items);
    }

    public StepPorts withLogs(LogSource l) {
        return new StepPorts(metrics, conventions, cache, traces, l, catalogue, prober, changes, graph, items);
    }

    public StepPorts withProber(HttpProber p) {
        return new StepPorts(metrics, conventions, cache, traces, logs, catalogue, p, changes, graph, items);
    }

    public StepPorts withItems(ItemHistorySource i) {
        return new StepPorts(metrics, conventions, cache, traces, logs, catalogue, prober, changes, graph, i);
    }

    public StepPorts withChanges(List<ChangeSource> c) {
        List<ChangeSource> fixed = List.copyOf(c);
        return new StepPorts(metrics, conventions, cache, traces, logs, catalogue, prober, () -> fixed, graph, items);
    }
}
