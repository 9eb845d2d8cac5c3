package dev.rootcause.rule;

import dev.rootcause.support.WatchedFile;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The service catalogue, {@code services.yaml} in the rules folder: per service its owner, on-call role,
 * the labels its alerts and metrics name it by, and its dependencies (edges of the dependency graph), with the
 * health URL, timeout and retries of those that can be probed. Probes reach only the URLs listed here
 * ({@code probe.http}): nothing in an alert or a rule can add one.
 *
 * <p>Hot-reloaded like the rules ({@code rootcause.rules.reload-interval}); a file with a mistake is
 * reported as {@code services.yaml:line: message} and the last good catalogue stays in force. A missing
 * file is an empty catalogue.
 */
@ApplicationScoped
public class ServiceCatalogue {

    /** The catalogue's file name inside the rules folder; rule loading leaves it out. */
    public static final String FILE = "services.yaml";

    private static final Logger LOG = Logger.getLogger(ServiceCatalogue.class);

    /**
     * One dependency of a service: an edge of the dependency graph, and a probe target when it has a health URL.
     *
     * @param name    as the catalogue names it, e.g. {@code auth}
     * @param health  the URL a probe GETs (an answer 2xx means healthy), or null: a component with no health
     *                endpoint (a managed database, a queue, a cloud API) is part of the graph and is not probed
     * @param timeout per attempt (connect and answer), at most 10 s; {@link Duration#ZERO} without a health URL
     * @param retries attempts after the first (0-5) on a timeout, connection error, 5xx or 429; 0 without a health URL
     */
    public record Dependency(String name, URI health, Duration timeout, int retries) {
        public Dependency {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(timeout, "timeout");
        }

        /** A dependency without a health URL: in the graph, never probed. */
        public static Dependency unprobed(String name) {
            return new Dependency(name, null, Duration.ZERO, 0);
        }

        /** Whether it has a health URL to probe. */
        public boolean probed() {
            return health != null;
        }
    }

    /**
     * One service.
     *
     * @param owner        team or person, for the report
     * @param oncallRole   Discord role id to mention, or null
     * @param labels       how alerts and metrics name the service, label → value (e.g. {@code service:
     *                     checkout}, {@code job: checkout}); {@code {service: <name>}} when the file gives none
     * @param dependencies in file order
     * @param convention   the metric convention pinned for the service ({@code convention: micrometer}, a name in
     *                     {@code conventions.yaml}), or null: detected from the series that exist
     */
    public record Service(String name, String owner, String oncallRole, Map<String, String> labels,
            List<Dependency> dependencies, String convention) {
        public Service {
            labels = Map.copyOf(labels);
            dependencies = List.copyOf(dependencies);
        }

        /** The dependency of this name, if listed. */
        public Optional<Dependency> dependency(String name) {
            return dependencies.stream().filter(d -> d.name().equals(name)).findFirst();
        }
    }

    /**
     * What is in force.
     *
     * @param services by name, in file order
     * @param errors   {@code services.yaml:line: message} of the last load, empty when it loaded well
     * @param loadedAt when the file was last read
     */
    public record Snapshot(Map<String, Service> services, List<String> errors, Instant loadedAt) {
        public Snapshot {
            services = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(services));
            errors = List.copyOf(errors);
        }
    }

    private final WatchedFile<Map<String, Service>> file;
    private volatile Snapshot current;

    @Inject
    ServiceCatalogue(RulesConfig config, Clock clock) {
        this(config.dir().resolve(FILE), clock);
    }

    ServiceCatalogue(Path file, Clock clock) {
        this.file = new WatchedFile<>(file, ServiceCatalogueParser::parse, Map.of(),
                new WatchedFile.Wording<>("service catalogue", "probes have no dependencies to reach",
                        "the previous catalogue stays in force", s -> s.size() + " service(s)"), clock, LOG);
        this.current = new Snapshot(Map.of(), List.of(), clock.instant());
    }

    /**
     * A catalogue read once from a file, for tools (the rule-test command).
     *
     * @throws RuleException {@code services.yaml:line: message} when the file has a mistake
     */
    public static ServiceCatalogue load(Path file) {
        ServiceCatalogue catalogue = new ServiceCatalogue(file, Clock.systemUTC());
        catalogue.reload();
        if (!catalogue.current.errors().isEmpty()) {
            throw new RuleException(catalogue.current.errors().get(0));
        }
        return catalogue;
    }

    /** A catalogue with no services, for tools that check rules without running probes. */
    public static ServiceCatalogue empty() {
        return new ServiceCatalogue(Path.of(FILE), Clock.systemUTC());
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

    /** The service of this name, if catalogued. */
    public Optional<Service> find(String service) {
        return service == null ? Optional.empty() : Optional.ofNullable(current.services().get(service));
    }

    /**
     * The service an alert is about, by the label mapping: the first catalogued service one of whose
     * {@code labels} pairs the alert carries (a pair names one service at most; loading checks that).
     */
    public Optional<Service> resolve(Map<String, String> alertLabels) {
        for (Service s : current.services().values()) {
            for (var l : s.labels().entrySet()) {
                if (l.getValue().equals(alertLabels.get(l.getKey()))) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    /** Every catalogued service, in file order. */
    public Collection<Service> services() {
        return current.services().values();
    }

    /** The catalogue in force and the errors of the last load. */
    public Snapshot snapshot() {
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

    /**
     * Reads the file again. A file with a mistake keeps the previous catalogue in force (its error is
     * shown beside it); a missing file empties the catalogue.
     */
    public synchronized void reload() {
        WatchedFile.Loaded<Map<String, Service>> read = file.reload();
        current = new Snapshot(read.value(), read.errors(), read.loadedAt());
    }
}
