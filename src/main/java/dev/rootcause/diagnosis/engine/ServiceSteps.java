package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.DiagnosisConfig;
import dev.rootcause.diagnosis.budget.BackendGates;
import dev.rootcause.diagnosis.budget.BackendMeters;
import io.micrometer.core.instrument.MeterRegistry;
import dev.rootcause.diagnosis.budget.MeteredPorts;
import dev.rootcause.diagnosis.budget.MeteredProber;
import dev.rootcause.diagnosis.graph.DependencyGraphs;
import dev.rootcause.diagnosis.port.CacheSource;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.diagnosis.port.ItemHistorySource;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.metrics.ConventionResolver;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.ServiceCatalogue;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The service's step types: {@link StepCatalogue} over the configured backends (CDI beans), each metered
 * ({@link MeteredPorts}: the diagnosis' memo, query budget and deadline, and one gate per backend shared by all
 * diagnoses, {@code rootcause.diagnosis.backend-concurrency}). Trace, log and item history
 * backends are optional (chosen by configuration); change backends are looked up at each run, so one
 * enabled by configuration (Kubernetes) is asked without the steps knowing it.
 */
@Singleton
public class ServiceSteps {

    private final List<StepRunner> runners;

    @Inject
    ServiceSteps(MetricsSource metrics, ConventionResolver conventions, CacheSource cache, Instance<TraceSource> traces,
            Instance<LogSource> logs, ServiceCatalogue catalogue, HttpProber prober, @Any Instance<ChangeSource> changes,
            DiagnosisConfig config, Instance<DependencyGraphs> graphs, Instance<ItemHistorySource> items, MeterRegistry meters) {
        BackendGates gates = new BackendGates(config.backendConcurrency(), config.backendConcurrencyOf(), new BackendMeters(meters));
        MetricsSource metered = MeteredPorts.metrics(metrics, gates);
        this.runners = StepCatalogue.build(new StepPorts(metered, conventions.over(metered), MeteredPorts.cache(cache, gates),
                MeteredPorts.traces(traces.isResolvable() ? traces.get() : null, gates),
                MeteredPorts.logs(logs.isResolvable() ? logs.get() : null, gates), catalogue, new MeteredProber(prober, gates),
                () -> changes.stream().map(c -> MeteredPorts.changes(c, gates)).toList(),
                graphs.isResolvable() ? graphs.get() : null, MeteredPorts.items(items.isResolvable() ? items.get() : null, gates)));
    }

    /** Every step type the service runs, one runner each. */
    public List<StepRunner> runners() {
        return runners;
    }

    /** The service's {@code metrics.compare}, for callers outside a rule (verifying a change). */
    @Produces
    @Singleton
    MetricsCompareStep metricsCompare() {
        return runners.stream().filter(MetricsCompareStep.class::isInstance).map(MetricsCompareStep.class::cast).findFirst()
                .orElseThrow();
    }
}
