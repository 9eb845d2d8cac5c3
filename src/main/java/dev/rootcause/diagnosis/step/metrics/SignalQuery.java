package dev.rootcause.diagnosis.step.metrics;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.rule.Rule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PromQL a metrics step runs: its raw {@code query:} template, or the query of its {@code signal:} in the
 * service's metric convention ({@link ConventionResolver}). Shared by {@code metrics.compare},
 * {@code metrics.query} and {@code metrics.compare_by}.
 *
 * @param text       the query as sent
 * @param convention how the signal was resolved ({@link ConventionResolver.Resolved#describe()}), or {@code ""}
 *                   for a raw query
 * @param by         the label telling dependencies apart: the signal's, or the step's {@code by:}; null when none
 * @param recorded   answers asked on the way (the convention detection), for rule-test export
 */
record SignalQuery(String text, String convention, String by, List<Evidence.Recorded> recorded) {

    /** The {@code with:} keys this adds to a step's own. */
    static final Set<String> PARAMS = Set.of("query", "signal", "service");

    /**
     * Checks at rule load: exactly one of {@code query} and {@code signal}; a signal some convention defines,
     * of the shape the step needs.
     *
     * @param grouped whether the step reads one series per dependency ({@code metrics.compare_by})
     * @throws IllegalArgumentException naming the key
     */
    static void check(Map<String, Object> with, ConventionResolver resolver, boolean grouped) {
        boolean query = with.containsKey("query");
        boolean signal = with.containsKey("signal");
        if (query == signal) {
            throw new IllegalArgumentException((query ? "query, signal: give one, not both" : "query: required (or signal:, a name from conventions.yaml)"));
        }
        for (String key : List.of("query", "signal", "service")) {
            Object v = with.get(key);
            if (v != null && (!(v instanceof String s) || s.isBlank())) {
                throw new IllegalArgumentException(key + ": expected a non-empty string");
            }
        }
        if (query) {
            if (with.containsKey("service")) {
                throw new IllegalArgumentException("service: only with signal: (a raw query names the service itself)");
            }
            return;
        }
        String name = String.valueOf(with.get("signal"));
        if (resolver == null) {
            throw new IllegalArgumentException("signal: no metric conventions here; use query:");
        }
        Boolean shape = resolver.table().grouped(name).orElseThrow(() -> new IllegalArgumentException("signal: " + name
                + " is not defined in conventions.yaml (known: " + known(resolver) + ")"));
        if (shape != grouped) {
            throw new IllegalArgumentException("signal: " + name + (shape ? " answers one series per dependency: use metrics.compare_by"
                    : " answers one series: use metrics.compare or metrics.query"));
        }
    }

    /**
     * @param by the step's own {@code by:} for a raw query, or null
     * @throws MetricsSourceException when a placeholder cannot be filled, or the convention cannot be resolved
     */
    static SignalQuery of(Rule.Step step, MetricsSource metrics, ConventionResolver resolver, Map<String, String> vars,
            Instant at, String by) throws MetricsSourceException {
        Object signal = step.with().get("signal");
        if (signal == null) {
            return new SignalQuery(metrics.render(String.valueOf(step.with().get("query")), vars), "", by, List.of());
        }
        if (resolver == null) {
            throw new MetricsSourceException(Evidence.Status.ERROR, "signal " + signal + ": no metric conventions here");
        }
        String service = service(step.with().get("service"), vars);
        ConventionResolver.Resolved r = resolver.resolve(String.valueOf(signal), service, vars, at);
        return new SignalQuery(r.query(), r.describe(), r.by(), r.recorded());
    }

    /** The step's {@code service:} ({@code $name} reads a var), else the var {@code service}. */
    private static String service(Object param, Map<String, String> vars) throws MetricsSourceException {
        String text = param == null ? "$service" : String.valueOf(param);
        if (!text.startsWith("$")) {
            return text;
        }
        String value = vars.get(text.substring(1));
        if (value == null || value.isEmpty()) {
            throw new MetricsSourceException(Evidence.Status.ERROR, "service: " + text + " has no value");
        }
        return value;
    }

    private static String known(ConventionResolver resolver) {
        return resolver.table().all().stream().flatMap(c -> c.signals().keySet().stream()).distinct().sorted().toList().toString();
    }
}
