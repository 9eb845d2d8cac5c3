package dev.rootcause.diagnosis.step.probes;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.ServiceCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code probe.http}: probes the dependencies of a catalogued service, all at once, each with its own
 * timeout and retries from {@code services.yaml}. {@code with}: {@code service} (a catalogue service name,
 * usually {@code $service}; when it names none, the alert's labels are looked up in the catalogue's label
 * mapping), {@code dependency} (probe only this one), {@code slow_fraction} (a healthy answer slower than
 * this fraction of the dependency's timeout counts as slow; default 0.5).
 *
 * <p>Only the health URLs in the catalogue are ever called: no parameter takes a URL, and a service or
 * dependency that is not catalogued is refused with evidence {@code no_data} saying why.
 *
 * <p>Values: {@code dependencies}, {@code healthy}, {@code failing} (answered non-2xx or timed out),
 * {@code unreachable} (could not resolve or connect from rootcause: DNS, refused, TLS, reset; this says where
 * rootcause stands, not that the dependency is down, so it is not counted as failing), {@code slow} (counts),
 * {@code failing_names}, {@code unreachable_names}, {@code slow_names} (comma-separated, empty when none),
 * {@code not_probed_names} (the
 * dependencies without a health URL, which are part of the dependency graph but never probed), {@code slowest} (name),
 * {@code slowest_ms} (its latency in milliseconds; a timed-out attempt counts as its timeout),
 * {@code service}; and per dependency {@code <name>.outcome} ({@code healthy}, {@code unhealthy},
 * {@code timeout}, {@code unreachable}), {@code <name>.code} (HTTP status, 0 when none),
 * {@code <name>.latency_ms}, {@code <name>.attempts}, {@code <name>.error}. Unreachable dependencies are named
 * in the evidence's reason ("unreachable from rootcause: ..."); when none answered, the evidence is {@code no_data}.
 */
public class ProbeHttpStep implements StepRunner {

    static final Set<String> KEYS = Set.of("service", "dependency", "slow_fraction");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)");
    /** Time allowed beyond the probes' own budgets (timeouts × attempts) before the step gives up on them. */
    private static final Duration SLACK = Duration.ofSeconds(5);

    private final ServiceCatalogue catalogue;
    private final HttpProber prober;

    public ProbeHttpStep(ServiceCatalogue catalogue, HttpProber prober) {
        this.catalogue = catalogue;
        this.prober = prober;
    }

    @Override
    public String type() {
        return "probe.http";
    }

    @Override
    public String kind() {
        return "probe";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : List.of("dependencies", "healthy", "failing", "unreachable", "slow")) {
            out.put(n, 0L);
        }
        out.put("failing_names", "");
        out.put("unreachable_names", "");
        out.put("slow_names", "");
        out.put("not_probed_names", "");
        out.put("slowest", "");
        out.put("slowest_ms", 0.0);
        out.put("service", "");
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        for (String key : with.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(key + ": unknown parameter (known: " + new java.util.TreeSet<>(KEYS)
                        + "); probes reach only the health URLs listed in services.yaml, never a URL from a rule");
            }
        }
        StepParams.keys(with, KEYS, Set.of("service"));
        for (String key : List.of("service", "dependency")) {
            Object v = with.get(key);
            if (v != null && String.valueOf(v).contains("://")) {
                throw new IllegalArgumentException(key + ": a name from services.yaml, not a URL (" + v
                        + "); probes reach only the health URLs listed there");
            }
        }
        Object slow = with.get("slow_fraction");
        if (slow != null && (!(slow instanceof Number n) || n.doubleValue() <= 0 || n.doubleValue() > 1)) {
            throw new IllegalArgumentException("slow_fraction: expected a number in (0, 1], got " + slow);
        }
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        Instant at = alert.now();
        String asked = fill(String.valueOf(step.with().get("service")), vars);
        Optional<ServiceCatalogue.Service> byName = catalogue.find(asked);
        Optional<ServiceCatalogue.Service> found = byName.or(() -> catalogue.resolve(alert.labels()));
        if (found.isEmpty()) {
            String why = "service \"" + asked + "\" is not in the service catalogue (services.yaml) and no label of the alert"
                    + " maps to one; probes reach only catalogued URLs, so nothing was probed";
            // a name that is a URL is an attempt to make the bot call it: say it was refused
            return asked.contains("://") ? refused(step, at, why) : new Evidence(step.id(), type(), kind(), prober.name(), null, at, at,
                    Evidence.Status.NO_DATA, why, Map.of(), null);
        }
        ServiceCatalogue.Service service = found.get();
        String mapped = byName.isPresent() ? null : "service \"" + asked + "\" is not catalogued; probed " + service.name()
                + ", which the alert's labels name (" + mapping(service, alert.labels()) + ")";
        List<ServiceCatalogue.Dependency> targets = service.dependencies();
        Object only = step.with().get("dependency");
        if (only != null) {
            String name = fill(String.valueOf(only), vars);
            Optional<ServiceCatalogue.Dependency> d = service.dependency(name);
            if (d.isEmpty()) {
                return refused(step, at, "\"" + name + "\" is not a dependency of " + service.name() + " in services.yaml (it lists: "
                        + names(service.dependencies()) + "); probes reach only catalogued URLs, so nothing was probed");
            }
            targets = List.of(d.get());
        }
        if (targets.isEmpty()) {
            return new Evidence(step.id(), type(), kind(), prober.name(), null, at, at, Evidence.Status.NO_DATA,
                    "service " + service.name() + " lists no dependencies in services.yaml", Map.of("service", service.name()), null);
        }
        // a dependency without a health URL is part of the dependency graph, not a probe target
        List<String> unprobed = targets.stream().filter(d -> !d.probed()).map(ServiceCatalogue.Dependency::name).toList();
        targets = targets.stream().filter(ServiceCatalogue.Dependency::probed).toList();
        if (targets.isEmpty()) {
            Map<String, Object> none = new LinkedHashMap<>(); // a fixed order: reports show it
            none.put("service", service.name());
            none.put("not_probed_names", String.join(",", unprobed));
            return new Evidence(step.id(), type(), kind(), prober.name(), null, at, at, Evidence.Status.NO_DATA,
                    "not probed: no health URL in services.yaml for " + String.join(", ", unprobed) + " (dependencies of "
                            + service.name() + ")", none, null);
        }
        if (!unprobed.isEmpty()) {
            String also = "not probed: no health URL for " + String.join(", ", unprobed);
            mapped = mapped == null ? also : mapped + "; " + also;
        }
        String query = targets.stream().map(d -> "GET " + d.health() + " (" + d.name() + ")").collect(Collectors.joining(", "));
        List<HttpProber.ProbeResult> results;
        try {
            results = probeAll(targets);
        } catch (HttpProber.ProbeException e) {
            return new Evidence(step.id(), type(), kind(), prober.name(), query, at, at, e.status(), e.getMessage(),
                    Map.of("service", service.name()), null);
        } catch (TimeoutException e) {
            return new Evidence(step.id(), type(), kind(), prober.name(), query, at, at, Evidence.Status.TIMEOUT,
                    "probes did not finish within their budget (timeouts × attempts + " + SLACK.toSeconds() + "s)",
                    Map.of("service", service.name()), null);
        }
        double fraction = step.with().get("slow_fraction") instanceof Number n ? n.doubleValue() : 0.5;
        Map<String, Object> values = values(service, targets, results, fraction);
        values.put("not_probed_names", String.join(",", unprobed));
        List<HttpProber.ProbeResult> unreachable = results.stream().filter(r -> r.outcome() == HttpProber.Outcome.UNREACHABLE).toList();
        Evidence.Status status = Evidence.Status.OK;
        if (!unreachable.isEmpty()) {
            String names = unreachable.stream().map(HttpProber.ProbeResult::dependency).collect(Collectors.joining(", "));
            String why = "unreachable from rootcause: " + unreachable.stream().map(r -> r.dependency() + " (" + r.error() + ")")
                    .collect(Collectors.joining(", ")) + "; not evidence that " + names + (unreachable.size() == 1 ? " is" : " are")
                    + " down: check the health URL in services.yaml and the network path from rootcause";
            mapped = mapped == null ? why : why + "; " + mapped;
            // nothing answered: the dependencies were not checked, they did not pass or fail
            status = unreachable.size() == results.size() ? Evidence.Status.NO_DATA : Evidence.Status.OK;
        }
        return new Evidence(step.id(), type(), kind(), prober.name(), query, at, at, status, mapped,
                values, null, results.stream().map(ProbeHttpStep::recorded).toList());
    }

    private List<HttpProber.ProbeResult> probeAll(List<ServiceCatalogue.Dependency> targets) throws TimeoutException {
        List<CompletableFuture<HttpProber.ProbeResult>> futures = targets.stream().map(prober::probe).toList();
        long budget = SLACK.toMillis();
        for (ServiceCatalogue.Dependency d : targets) {
            // attempts run one after the other, with backoff between them of at most one timeout each
            budget = Math.max(budget, SLACK.toMillis() + 2 * d.timeout().toMillis() * (d.retries() + 1));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budget);
        List<HttpProber.ProbeResult> out = new ArrayList<>();
        try {
            for (CompletableFuture<HttpProber.ProbeResult> f : futures) {
                out.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            throw e.getCause() instanceof HttpProber.ProbeException p ? p : new HttpProber.ProbeException("probe failed: " + e.getCause());
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new HttpProber.ProbeException("interrupted while probing");
        } catch (TimeoutException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return out;
    }

    private static Map<String, Object> values(ServiceCatalogue.Service service, List<ServiceCatalogue.Dependency> targets,
            List<HttpProber.ProbeResult> results, double fraction) {
        List<String> failing = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        String slowest = "";
        double slowestMs = -1;
        for (int i = 0; i < results.size(); i++) {
            HttpProber.ProbeResult r = results.get(i);
            ServiceCatalogue.Dependency d = targets.get(i);
            double ms = r.outcome() == HttpProber.Outcome.TIMEOUT ? Math.max(r.latencyMillis(), d.timeout().toMillis()) : r.latencyMillis();
            if (r.outcome() == HttpProber.Outcome.UNREACHABLE) {
                unreachable.add(d.name()); // says where rootcause stands, not how the dependency is
            } else if (!r.healthy()) {
                failing.add(d.name());
            } else if (ms >= fraction * d.timeout().toMillis()) {
                slow.add(d.name());
            }
            if (ms > slowestMs) {
                slowestMs = ms;
                slowest = d.name();
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("service", service.name());
        values.put("dependencies", (long) results.size());
        values.put("healthy", (long) (results.size() - failing.size() - unreachable.size()));
        values.put("failing", (long) failing.size());
        values.put("failing_names", String.join(",", failing));
        values.put("unreachable", (long) unreachable.size());
        values.put("unreachable_names", String.join(",", unreachable));
        values.put("slow", (long) slow.size());
        values.put("slow_names", String.join(",", slow));
        values.put("slowest", slowest);
        values.put("slowest_ms", slowestMs);
        for (HttpProber.ProbeResult r : results) {
            values.put(r.dependency() + ".outcome", r.outcome().wire());
            values.put(r.dependency() + ".code", (long) r.statusCode());
            values.put(r.dependency() + ".latency_ms", Math.round(r.latencyMillis() * 10) / 10.0);
            values.put(r.dependency() + ".attempts", (long) r.attempts());
            if (r.error() != null) {
                values.put(r.dependency() + ".error", r.error());
            }
        }
        return values;
    }

    private Evidence refused(Rule.Step step, Instant at, String reason) {
        return new Evidence(step.id(), type(), kind(), prober.name(), null, at, at, Evidence.Status.NO_DATA, "refused: " + reason,
                Map.of(), null);
    }

    private static String mapping(ServiceCatalogue.Service service, Map<String, String> labels) {
        return service.labels().entrySet().stream().filter(l -> l.getValue().equals(labels.get(l.getKey())))
                .map(l -> l.getKey() + "=" + l.getValue()).collect(Collectors.joining(", "));
    }

    private static String names(List<ServiceCatalogue.Dependency> deps) {
        return deps.isEmpty() ? "none" : deps.stream().map(ServiceCatalogue.Dependency::name).collect(Collectors.joining(", "));
    }

    /** {@code $name} → its value; a name lookup needs no escaping (the value only selects a catalogue entry). */
    static String fill(String template, Map<String, String> vars) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A probe's answer as recorded on its evidence (kind {@code probe}): the URL probed and one entry with
     * {@code url}, {@code outcome}, {@code code}, {@code latency_ms}, {@code attempts}, {@code error}.
     */
    public static Evidence.Recorded recorded(HttpProber.ProbeResult r) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("url", r.url());
        entry.put("outcome", r.outcome().wire());
        entry.put("code", r.statusCode());
        entry.put("latency_ms", r.latencyMillis());
        entry.put("attempts", r.attempts());
        entry.put("error", r.error());
        return new Evidence.Recorded(r.url(), List.of(entry), "probe");
    }
}
