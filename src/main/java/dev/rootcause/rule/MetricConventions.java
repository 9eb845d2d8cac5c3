package dev.rootcause.rule;

import dev.rootcause.support.WatchedFile;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The metric conventions table, {@code conventions.yaml} in the rules folder: per convention (classic
 * Prometheus client, Micrometer, OpenTelemetry, Istio, ingress-nginx …) the metric whose series reveal
 * it, the labels that may name a service, and the PromQL of each signal ({@code http.error_ratio},
 * {@code http.latency_p99}, …) a rule step can ask for instead of writing PromQL.
 *
 * <p>Hot-reloaded like the rules ({@code rootcause.rules.reload-interval}); a file with a mistake is
 * reported as {@code conventions.yaml:line: message} and the last good table stays in force. A missing
 * file is an empty table: steps that name a signal then fail with evidence saying so.
 */
@ApplicationScoped
public class MetricConventions {

    /** The table's file name inside the rules folder; rule loading leaves it out. */
    public static final String FILE = "conventions.yaml";
    /** {@link Convention#language()} of PromQL conventions (the default). */
    public static final String PROMQL = "promql";
    /** {@link Convention#language()} of Datadog metric-query conventions. */
    public static final String DATADOG = "datadog";

    private static final Logger LOG = Logger.getLogger(MetricConventions.class);

    /**
     * What one signal is in one convention.
     *
     * @param query PromQL template: {@code $service_label} (the label naming the service, placed by the
     *              resolver after checking it is a label name), {@code "$service_value"}, {@code $service},
     *              {@code $rate_window} and other rule vars, escaped where they stand
     * @param by    the label that tells dependencies apart in the answer (one series per dependency), or null
     *              when the query answers one series
     */
    public record Signal(String query, String by) {
        public Signal {
            Objects.requireNonNull(query, "query");
        }
    }

    /**
     * One convention.
     *
     * @param name          e.g. {@code micrometer}; what {@code services.yaml}'s {@code convention:} pins
     * @param language      the query language of {@code detect} and the signals: {@link #PROMQL} (the default) or
     *                      {@link #DATADOG}; only conventions of the metrics source's language are detected and asked
     * @param detect        the metric whose series, labelled with one of {@code serviceLabels} = the service,
     *                      show a service uses this convention
     * @param serviceLabels labels that may name the service, in order of preference
     * @param signals       signal name → its query here; a convention need not have every signal
     */
    public record Convention(String name, String language, String detect, List<String> serviceLabels, Map<String, Signal> signals) {
        /** A PromQL convention. */
        public Convention(String name, String detect, List<String> serviceLabels, Map<String, Signal> signals) {
            this(name, PROMQL, detect, serviceLabels, signals);
        }

        public Convention {
            serviceLabels = List.copyOf(serviceLabels);
            signals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(signals));
        }
    }

    /**
     * What is in force.
     *
     * @param conventions by name, in file order (the order of preference)
     * @param errors      {@code conventions.yaml:line: message} of the last load, empty when it loaded well
     * @param loadedAt    when the file was last read
     */
    public record Snapshot(Map<String, Convention> conventions, List<String> errors, Instant loadedAt) {
        public Snapshot {
            conventions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(conventions));
            errors = List.copyOf(errors);
        }
    }

    private final WatchedFile<Map<String, Convention>> file;
    private volatile Snapshot current;
    private volatile boolean loaded;

    @Inject
    MetricConventions(RulesConfig config, Clock clock) {
        this(config.dir().resolve(FILE), clock);
    }

    MetricConventions(Path file, Clock clock) {
        this.file = new WatchedFile<>(file, MetricConventionsParser::parse, Map.of(),
                new WatchedFile.Wording<>("metric conventions", "rule steps that name a signal will fail",
                        "the previous table stays in force", c -> c.size() + " metric convention(s)"), clock, LOG);
        this.current = new Snapshot(Map.of(), List.of(), clock.instant());
    }

    /**
     * A table read once from a file, for tools (the rule-test command) and tests.
     *
     * @throws RuleException {@code conventions.yaml:line: message} when the file has a mistake
     */
    public static MetricConventions load(Path file) {
        MetricConventions table = new MetricConventions(file, Clock.systemUTC());
        table.reload();
        if (!table.current.errors().isEmpty()) {
            throw new RuleException(table.current.errors().get(0));
        }
        return table;
    }

    /** A table with no conventions: every signal is unknown. */
    public static MetricConventions empty() {
        MetricConventions table = new MetricConventions(Path.of(FILE), Clock.systemUTC());
        table.loaded = true;
        return table;
    }

    void onStart(@Observes StartupEvent event) {
        loadOnce();
    }

    /** The first load, unless the file watcher did it already (it can fire while start-up is still running). */
    private synchronized void loadOnce() {
        if (current == null) {
            reload();
        }
    }

    /** Conventions in order of preference. */
    public List<Convention> all() {
        return List.copyOf(snapshot().conventions().values());
    }

    /** The convention of this name, if defined. */
    public Optional<Convention> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(snapshot().conventions().get(name));
    }

    /**
     * Whether some convention defines the signal, and how: empty when none does; else whether it answers
     * per dependency ({@code by}). Loading checks all conventions agree on that.
     */
    public Optional<Boolean> grouped(String signal) {
        return snapshot().conventions().values().stream().map(c -> c.signals().get(signal)).filter(Objects::nonNull)
                .findFirst().map(s -> s.by() != null);
    }

    /**
     * The table in force and the errors of the last load. Read on first use when start-up has not read it
     * yet: rule loading checks signal names against it and may run first.
     */
    public Snapshot snapshot() {
        if (!loaded) {
            reload();
        }
        return current;
    }

    /** Re-reads the file when it changed (hot reload). */
    @Scheduled(every = "${rootcause.rules.reload-interval:2s}", delay = 2, delayUnit = java.util.concurrent.TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watch() {
        if (file.changed()) {
            reload();
        }
    }

    /** Reads the file again; a file with a mistake keeps the previous table in force. */
    public synchronized void reload() {
        loaded = true;
        WatchedFile.Loaded<Map<String, Convention>> read = file.reload();
        current = new Snapshot(read.value(), read.errors(), read.loadedAt());
    }
}
