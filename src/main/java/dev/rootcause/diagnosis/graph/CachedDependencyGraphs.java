package dev.rootcause.diagnosis.graph;

import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.support.BackgroundWorker;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The dependency graph in force: rebuilt in the background every {@code rootcause.graph.refresh} (and at start)
 * from every {@link EdgeSource} bean — the catalogue, the trace backend's dependency links (with the
 * sampled-traces fallback), Prometheus' service-graph, client-side and mesh series — on its own thread, so a
 * diagnosis reading {@link #current()} never waits for a backend. A build that fails as a whole keeps the
 * previous graph.
 */
@ApplicationScoped
public class CachedDependencyGraphs implements DependencyGraphs {

    private static final Logger LOG = Logger.getLogger(CachedDependencyGraphs.class);

    private final Instance<EdgeSource> sources;
    private final Instance<TraceSource> traces;
    private final ServiceCatalogue catalogue;
    private final GraphConfig config;
    private final GraphBuilder builder;
    private final BackgroundWorker worker;
    private volatile DependencyGraph current = DependencyGraph.EMPTY;

    @Inject
    CachedDependencyGraphs(@Any Instance<EdgeSource> sources, Instance<TraceSource> traces, ServiceCatalogue catalogue,
            GraphConfig config, Clock clock) {
        this.sources = sources;
        this.traces = traces;
        this.catalogue = catalogue;
        this.config = config;
        this.builder = new GraphBuilder(new GraphBuilder.Settings(config.lookback(), config.sampleServices(), config.sampleTraces(),
                config.sourceTimeout()), clock);
        this.worker = new BackgroundWorker("rootcause-graph", LOG, "building the dependency graph", this::interval, this::build);
    }

    @Override
    public DependencyGraph current() {
        return current;
    }

    @Override
    public String node(String service) {
        return NodeNames.of(catalogue.services()).normalize(service);
    }

    /**
     * Starts a rebuild on the graph's own thread and returns at once; {@link #current()} changes when it is done
     * (its {@link DependencyGraph#builtAt()} tells). A rebuild already queued absorbs this one.
     */
    public void refresh() {
        worker.wake();
    }

    @Scheduled(every = "${rootcause.graph.refresh:5m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        worker.wake();
    }

    /** Builds the graph now, on the caller's thread (the worker's pass). */
    void build() {
        List<EdgeSource> all = sources.stream().toList();
        TraceSource trace = traces.isResolvable() ? traces.get() : null;
        List<String> known = catalogue.services().stream().map(ServiceCatalogue.Service::name).toList();
        DependencyGraph built = builder.build(all, trace, NodeNames.of(catalogue.services()), known);
        boolean first = current == DependencyGraph.EMPTY;
        current = built;
        if (first) {
            LOG.infof("dependency graph built: %d edges from %s", built.edges().size(), summary(built.sources()));
        } else {
            LOG.debugf("dependency graph rebuilt: %d edges from %s", built.edges().size(), summary(built.sources()));
        }
    }

    private static String summary(Map<String, String> sources) {
        return sources.isEmpty() ? "no source" : String.join("; ", sources.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
    }

    private Duration interval() {
        try {
            return Duration.parse("PT" + config.refresh());
        } catch (RuntimeException e) {
            return Duration.ZERO;
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        worker.close();
    }
}
