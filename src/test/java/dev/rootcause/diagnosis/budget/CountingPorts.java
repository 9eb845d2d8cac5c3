package dev.rootcause.diagnosis.budget;

import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.diagnosis.port.CacheInfo;
import dev.rootcause.diagnosis.port.CacheSource;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.diagnosis.step.metrics.ConventionResolver;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.source.metrics.PromQl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * A fake of every port that answers plausibly (flat series, one deploy, healthy probes, no traces or logs) and
 * writes down every backend query it is asked: what the query-count test counts.
 */
final class CountingPorts {

    /** Every backend query, as {@code backend: what}. */
    final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    private final Instant alertStart;

    CountingPorts(Instant alertStart) {
        this.alertStart = alertStart;
    }

    private static final Pattern DETECT = Pattern.compile("\"convention\", \"([^\"]+)\", \"\", \"\"\\), \"service_label\", \"([^\"]+)\"");

    final MetricsSource metrics = new MetricsSource() {
        public String render(String template, Map<String, String> vars) throws dev.rootcause.diagnosis.port.MetricsSourceException {
            return PromQl.render(template, vars);
        }

        public Result range(String query, Instant start, Instant end, Duration step) {
            asked.add("prometheus range: " + query + " [" + start + ", " + end + "]");
            List<Instant> times = new ArrayList<>();
            for (Instant t = start; !t.isAfter(end); t = t.plus(Duration.ofMinutes(1))) {
                times.add(t);
            }
            double[] values = new double[times.size()];
            java.util.Arrays.fill(values, 1.0);
            return new Result(List.of(new Series(Map.of(), times, values)), Duration.ofMinutes(1), List.of());
        }

        public Result instant(String query, Instant at) {
            asked.add("prometheus instant: " + query + " @" + at);
            var m = DETECT.matcher(query);
            Map<String, String> labels = m.find() ? Map.of("convention", m.group(1), "service_label", m.group(2)) : Map.of();
            return new Result(List.of(new Series(labels, List.of(at), new double[] {1.0})), null, List.of());
        }

        public List<String> labelValues(String label, List<String> match, Instant start, Instant end) {
            asked.add("prometheus labels: " + label);
            return List.of();
        }

        public String link(String query, Instant start, Instant end) {
            return null;
        }

        public String name() {
            return "prometheus";
        }
    };

    final TraceSource traces = new TraceSource() {
        public List<Trace> traces(String service, Instant start, Instant end, int limit) {
            asked.add("zipkin: traces of " + service + " [" + start + ", " + end + "]");
            return List.of();
        }

        public String describe(String service, Instant start, Instant end, int limit) {
            return "GET /api/v2/traces?serviceName=" + service;
        }

        public String traceLink(String traceId) {
            return null;
        }

        public String name() {
            return "zipkin";
        }
    };

    final LogSource logs = new LogSource() {
        public String render(String template, Map<String, String> vars) throws dev.rootcause.diagnosis.port.SourceException {
            return PromQl.render(template, vars);
        }

        public Lines lines(String query, Instant start, Instant end, int limit) {
            asked.add("loki lines: " + query);
            return new Lines(List.of(), false, List.of());
        }

        public Count count(String query, Instant start, Instant end) {
            asked.add("loki count: " + query);
            return new Count(0, false, List.of());
        }

        public String link(String query, Instant start, Instant end) {
            return null;
        }

        public String name() {
            return "loki";
        }
    };

    final CacheSource cache = new CacheSource() {
        public Samples sample(String service, Duration interval) {
            asked.add("redis: INFO of " + service + " twice, " + interval + " apart");
            Map<String, String> fields = Map.of("keyspace_hits", "100", "keyspace_misses", "10", "used_memory", "10",
                    "maxmemory", "100", "maxmemory_policy", "allkeys-lru", "expired_keys", "0", "evicted_keys", "0");
            return new Samples(new CacheInfo(alertStart, fields, Map.of()), new CacheInfo(alertStart.plus(interval), fields, Map.of()));
        }

        public String describe(String service) {
            return "INFO redis://127.0.0.1:6379/0";
        }

        public String name() {
            return "redis";
        }
    };

    final ChangeSource changes = new ChangeSource() {
        public String name() {
            return "api";
        }

        public List<ChangeEvent> changes(String service, Instant since, Instant until, java.util.Set<String> sources) {
            asked.add("changes: " + service + " " + new java.util.TreeSet<>(sources) + " [" + since + ", " + until + "]");
            return changes(service, since, until, (String) null);
        }

        public List<ChangeEvent> changes(String service, Instant since, Instant until) {
            asked.add("changes: " + service + " [" + since + ", " + until + "]");
            return changes(service, since, until, (String) null);
        }

        private List<ChangeEvent> changes(String service, Instant since, Instant until, String unused) {
            return List.of(new ChangeEvent("c1", service, "v2", "v1", null, "dev", alertStart.minus(Duration.ofMinutes(10)), "deploy",
                    null, "api", Map.of(), Map.of(), null));
        }
    };

    final HttpProber prober = new HttpProber() {
        public CompletableFuture<ProbeResult> probe(ServiceCatalogue.Dependency d) {
            asked.add("http: GET " + d.health());
            return CompletableFuture.completedFuture(new ProbeResult(d.name(), d.health().toString(), Outcome.HEALTHY, 200, 5.0, 1, null));
        }

        public String name() {
            return "http";
        }
    };

    /** The fakes as they are (what every step asked, nothing shared). */
    StepPorts raw(ServiceCatalogue catalogue, MetricConventions conventions) {
        return new StepPorts(metrics, resolver(metrics, catalogue, conventions), cache, traces, logs, catalogue, prober,
                () -> List.of(changes));
    }

    /** The fakes behind the service's metering ({@link MeteredPorts}), as {@code ServiceSteps} wires them. */
    StepPorts metered(ServiceCatalogue catalogue, MetricConventions conventions, BackendGates gates) {
        MetricsSource m = MeteredPorts.metrics(metrics, gates);
        return new StepPorts(m, resolver(m, catalogue, conventions), MeteredPorts.cache(cache, gates), MeteredPorts.traces(traces, gates),
                MeteredPorts.logs(logs, gates), catalogue, new MeteredProber(prober, gates),
                () -> List.of(MeteredPorts.changes(changes, gates)));
    }

    private ConventionResolver resolver(MetricsSource m, ServiceCatalogue catalogue, MetricConventions conventions) {
        return new ConventionResolver(m, conventions, catalogue, Clock.fixed(alertStart, ZoneOffset.UTC), Duration.ofMinutes(10));
    }
}
