package dev.rootcause.diagnosis.step.metrics;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.ServiceCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Turns a rule's signal ({@code http.error_ratio}) into the PromQL of the service's metric convention
 * ({@code rules/conventions.yaml}).
 *
 * <p>Which convention: the one pinned in {@code services.yaml} ({@code convention: micrometer}), else the
 * first in the table's order whose {@code detect} metric has series labelled with the service and that
 * defines the signal. Detection is one instant query for all conventions and candidate labels at once
 * ({@code label_replace(group(<detect>{<label>="<value>"}), …) or …}; Prometheus' 5-minute lookback), kept
 * per service for {@code rootcause.conventions.refresh} by the injected {@link Clock}. The label value is
 * what {@code services.yaml}'s {@code labels:} gives for that label, else the service name.
 */
@ApplicationScoped
public class ConventionResolver {

    private static final Pattern LABEL_PLACEHOLDER = Pattern.compile("\\$service_label(?![a-zA-Z0-9_])");

    /**
     * A signal's query for one service.
     *
     * @param query      PromQL as it will be sent
     * @param convention the convention's name
     * @param label      the label that named the service, e.g. {@code application}
     * @param value      its value
     * @param pinned     true when services.yaml pinned the convention, false when it was detected
     * @param by         the label telling dependencies apart (grouped signals), or null
     * @param recorded   the detection query's answer (also when reused from the cache), for rule-test export
     */
    public record Resolved(String query, String convention, String label, String value, boolean pinned, String by,
            List<Evidence.Recorded> recorded) {
        public Resolved {
            recorded = List.copyOf(recorded);
        }

        /** For evidence: {@code micrometer (application="checkout", detected)}. */
        public String describe() {
            return convention + " (" + label + "=\"" + value + "\", " + (pinned ? "pinned in services.yaml" : "detected") + ")";
        }
    }

    /** One service's detection: every (convention, label) that had series, in the table's order. */
    record Detected(List<String[]> matches, String query, List<Evidence.Recorded> recorded, Instant at) {
    }

    private final MetricsSource metrics;
    private final MetricConventions table;
    private final ServiceCatalogue catalogue;
    private final Clock clock;
    private final Duration refresh;
    private final Map<String, Detected> cache = new ConcurrentHashMap<>();

    @Inject
    ConventionResolver(MetricsSource metrics, MetricConventions table, ServiceCatalogue catalogue, Clock clock, ConventionsConfig config) {
        this(metrics, table, catalogue, clock, config.refresh());
    }

    /** For tools and tests: a resolver over this metrics source, table and catalogue. */
    public ConventionResolver(MetricsSource metrics, MetricConventions table, ServiceCatalogue catalogue, Clock clock, Duration refresh) {
        this.metrics = metrics;
        this.table = table;
        this.catalogue = catalogue;
        this.clock = clock;
        this.refresh = refresh;
    }

    /**
     * A resolver with the same table, catalogue and refresh over another metrics source (the service's metered
     * one), keeping its own detections.
     */
    public ConventionResolver over(MetricsSource other) {
        return new ConventionResolver(other, table, catalogue, clock, refresh);
    }

    /** The conventions table, for checking signal names at rule load. */
    public MetricConventions table() {
        return table;
    }

    /**
     * @param signal  e.g. {@code http.error_ratio}
     * @param service the service name (an alert's {@code service} label)
     * @param vars    rule and global vars ({@code rate_window} …); {@code service}, {@code service_value} are set here
     * @param at      when to look for series (the diagnosis' now)
     * @throws MetricsSourceException status {@code error}/{@code timeout} when detection failed, {@code no_data}
     *                                when no convention with this signal has series of the service, {@code error}
     *                                when the pinned convention is not in the table
     */
    public Resolved resolve(String signal, String service, Map<String, String> vars, Instant at) throws MetricsSourceException {
        Optional<ServiceCatalogue.Service> entry = catalogue.find(service);
        Map<String, String> labels = entry.map(ServiceCatalogue.Service::labels).orElse(Map.of());
        String pin = entry.map(ServiceCatalogue.Service::convention).orElse(null);
        if (pin != null) {
            MetricConventions.Convention c = table.find(pin).orElseThrow(() -> new MetricsSourceException(Evidence.Status.ERROR,
                    "services.yaml pins convention " + pin + " for " + service + ", which conventions.yaml does not define"));
            MetricConventions.Signal s = c.signals().get(signal);
            if (s == null) {
                throw new MetricsSourceException(Evidence.Status.NO_DATA, "convention " + pin + " (pinned for " + service
                        + " in services.yaml) has no signal " + signal);
            }
            String label = c.serviceLabels().stream().filter(labels::containsKey).findFirst().orElse(c.serviceLabels().get(0));
            return render(c, s, label, labels.getOrDefault(label, service), true, service, vars, List.of());
        }
        Detected d = detect(service, labels, at);
        for (String[] m : d.matches()) {
            MetricConventions.Convention c = table.find(m[0]).orElse(null);
            if (c != null && c.signals().containsKey(signal)) {
                return render(c, c.signals().get(signal), m[1], labels.getOrDefault(m[1], service), false, service, vars, d.recorded());
            }
        }
        // the reason is shown per finding in reports and chat: name the conventions, not the whole detection query
        String found = d.matches().isEmpty()
                ? "none has series of it among " + table.all().stream().map(MetricConventions.Convention::name).toList()
                : "found " + d.matches().stream().map(m -> m[0]).distinct().toList() + ", which lack it";
        throw new MetricRecordings.Unresolved("no metric convention with signal " + signal + " for " + service
                + " (" + found + ")", d.recorded());
    }

    /** Forgets every detection, e.g. after a service moved to another instrumentation. */
    public void forget() {
        cache.clear();
    }

    private Detected detect(String service, Map<String, String> labels, Instant at) throws MetricsSourceException {
        String key = service + "|" + new java.util.TreeMap<>(labels);
        Detected cached = cache.get(key);
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.at().plus(refresh))) {
            return cached;
        }
        if (!MetricsSource.PROMQL.equals(metrics.language())) {
            return detectEach(service, labels, at, key, now);
        }
        List<String> terms = new ArrayList<>();
        Map<String, String> vars = new HashMap<>();
        for (MetricConventions.Convention c : spoken()) {
            for (String label : c.serviceLabels()) {
                String v = "v" + vars.size();
                vars.put(v, labels.getOrDefault(label, service));
                // names and labels come from the validated table; the value is escaped by render()
                terms.add("label_replace(label_replace(group(" + c.detect() + "{" + label + "=\"$" + v + "\"}), \"convention\", \""
                        + c.name() + "\", \"\", \"\"), \"service_label\", \"" + label + "\", \"\", \"\")");
            }
        }
        if (terms.isEmpty()) {
            throw new MetricsSourceException(Evidence.Status.ERROR, "conventions.yaml defines no conventions");
        }
        String query = metrics.render(String.join(" or ", terms), vars);
        MetricsSource.Result result;
        try {
            result = metrics.instant(query, at);
        } catch (MetricsSourceException e) {
            throw new MetricsSourceException(e.status(), "detecting the metric convention of " + service + ": " + e.getMessage());
        }
        List<String[]> matches = new ArrayList<>();
        for (MetricConventions.Convention c : spoken()) {
            for (String label : c.serviceLabels()) {
                boolean present = result.series().stream().anyMatch(s -> c.name().equals(s.labels().get("convention"))
                        && label.equals(s.labels().get("service_label")));
                if (present) {
                    matches.add(new String[] {c.name(), label});
                }
            }
        }
        Detected d = new Detected(List.copyOf(matches), query, List.of(MetricRecordings.of(query, result)), now);
        if (!matches.isEmpty()) {
            cache.put(key, d);
        }
        return d;
    }

    /** The conventions in the metrics source's language, in the table's order. */
    private List<MetricConventions.Convention> spoken() {
        return table.all().stream().filter(c -> c.language().equals(metrics.language())).toList();
    }

    /**
     * Detection for a backend without PromQL's {@code or}/{@code label_replace} (Datadog): one instant query per
     * (convention, label), {@code sum:<detect>{<label>:<value>}}, in the table's order; a term answering any series
     * is a match. The table has one Datadog convention with one or two labels, so this stays one or two queries.
     */
    private Detected detectEach(String service, Map<String, String> labels, Instant at, String key, Instant now)
            throws MetricsSourceException {
        List<String[]> matches = new ArrayList<>();
        List<Evidence.Recorded> recorded = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (MetricConventions.Convention c : spoken()) {
            for (String label : c.serviceLabels()) {
                String query = metrics.render("sum:" + c.detect() + "{" + label + ":$v0}", Map.of("v0", labels.getOrDefault(label, service)));
                MetricsSource.Result result;
                try {
                    result = metrics.instant(query, at);
                } catch (MetricsSourceException e) {
                    throw new MetricsSourceException(e.status(), "detecting the metric convention of " + service + ": " + e.getMessage());
                }
                sent.add(query);
                recorded.add(MetricRecordings.of(query, result));
                if (!result.series().isEmpty()) {
                    matches.add(new String[] {c.name(), label});
                }
            }
        }
        Detected d = new Detected(List.copyOf(matches), String.join(", ", sent), recorded, now);
        if (!matches.isEmpty()) {
            cache.put(key, d);
        }
        return d;
    }

    private Resolved render(MetricConventions.Convention c, MetricConventions.Signal s, String label, String value, boolean pinned,
            String service, Map<String, String> vars, List<Evidence.Recorded> recorded) throws MetricsSourceException {
        Map<String, String> all = new HashMap<>(vars);
        all.put("service", service);
        all.put("service_value", value);
        // the label name is from the validated table ([a-zA-Z_][a-zA-Z0-9_]*): safe to place bare
        String template = LABEL_PLACEHOLDER.matcher(s.query()).replaceAll(java.util.regex.Matcher.quoteReplacement(label));
        return new Resolved(metrics.render(template, all), c.name(), label, value, pinned, s.by(), recorded);
    }
}
