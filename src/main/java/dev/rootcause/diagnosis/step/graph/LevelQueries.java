package dev.rootcause.diagnosis.step.graph;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.diagnosis.step.metrics.MetricRecordings;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.ServiceCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The queries of one level of a walk: every component of the level in one PromQL query per signal, grouped by the
 * label that names the service ({@code sum by (le, service) (... {service=~"a|b|c"} ...)}), over every metric
 * convention of {@code conventions.yaml} at once ({@code or} of one term per convention and service label, each
 * tagged {@code rc_convention}), so no detection query is needed. A component is read from the first convention
 * and label in the table's order that answered for it, as {@code ConventionResolver} would pick; a convention pinned
 * in {@code services.yaml} is the only one read for its service. Label values come from the catalogue's
 * {@code labels:} (else the service name) and are escaped by the metrics source (regex-quoted inside {@code =~}).
 */
final class LevelQueries {

    /** The single-service matcher of a convention's query. */
    private static final Pattern SELF = Pattern.compile("(\\$service_label|[a-zA-Z_][a-zA-Z0-9_]*)=\"\\$(service_value|service)\"");
    private static final String OR_ZERO = " or vector(0)) / ";

    /** The window of a walk: before {@code at} is the baseline, from it to {@code end} the symptom. */
    record Window(Instant start, Instant at, Instant end, Duration resolution) {
    }

    /** One level's answer: per component (or per caller → callee edge, "caller>callee"), its series. */
    record Answer(Map<String, MetricsSource.Series> series, String query, MetricsSource.Result result) {
    }

    private final MetricsSource metrics;
    private final MetricConventions table;
    private final ServiceCatalogue catalogue;
    private final Map<String, String> vars;
    private final List<String> sent = new ArrayList<>();
    private final List<Evidence.Recorded> recorded = new ArrayList<>();
    private long backendNanos;

    /** @param vars the rule's vars; {@code rate_window} defaults to 5m */
    LevelQueries(MetricsSource metrics, MetricConventions table, ServiceCatalogue catalogue, Map<String, String> vars) {
        this.metrics = metrics;
        this.table = table;
        this.catalogue = catalogue;
        this.vars = new HashMap<>(vars);
        this.vars.putIfAbsent("rate_window", "5m");
    }

    /** Every query sent, in order. */
    List<String> sent() {
        return List.copyOf(sent);
    }

    /** Milliseconds spent waiting for the metrics source's answers (failed ones included), summed. */
    long backendMillis() {
        return backendNanos / 1_000_000;
    }

    /** Every answer, for rule-test replay. */
    List<Evidence.Recorded> recorded() {
        return List.copyOf(recorded);
    }

    /**
     * The server-side signal of {@code services}, one query.
     *
     * @param offset {@code ""}, or e.g. {@code 1d}: the same window that long before (each selector's {@code offset})
     * @return per service its series; services without one are absent
     */
    Answer server(List<String> services, String signal, Window w, String offset) throws MetricsSourceException {
        Map<String, String> v = new HashMap<>(vars);
        List<String> terms = new ArrayList<>();
        Map<String, Map<String, String>> valueToService = new HashMap<>(); // label → value → service
        for (MetricConventions.Convention c : table.all()) {
            MetricConventions.Signal s = c.signals().get(signal);
            if (s == null || s.by() != null) {
                continue;
            }
            for (String label : c.serviceLabels()) {
                String alternation = alternation(services, label, v, valueToService.computeIfAbsent(label, k -> new HashMap<>()));
                String t = grouped(s.query(), label, alternation, signal.endsWith("error_ratio"));
                if (t == null) {
                    continue;
                }
                t = offset.isEmpty() ? t : t.replace("[$rate_window]", "[$rate_window] offset " + offset);
                terms.add("label_replace(label_replace(" + t + ", \"rc_node\", \"$1\", \"" + label + "\", \"(.*)\"), \"rc_convention\", \""
                        + c.name() + "\", \"\", \"\")");
            }
        }
        if (terms.isEmpty()) {
            throw new MetricsSourceException(Evidence.Status.NO_DATA, "no metric convention defines " + signal);
        }
        String query = metrics.render(String.join(" or ", terms), v);
        MetricsSource.Result result = range(query, w);
        Map<String, MetricsSource.Series> out = new LinkedHashMap<>();
        for (MetricConventions.Convention c : table.all()) {
            for (String label : c.serviceLabels()) {
                for (MetricsSource.Series s : result.series()) {
                    if (!c.name().equals(s.labels().get("rc_convention")) || !s.labels().containsKey(label)) {
                        continue;
                    }
                    String service = valueToService.getOrDefault(label, Map.of()).get(s.labels().get(label));
                    Optional<String> pin = catalogue.find(service == null ? "" : service).map(ServiceCatalogue.Service::convention);
                    if (service != null && (pin.isEmpty() || pin.get().equals(c.name()))) {
                        out.putIfAbsent(service, s);
                    }
                }
            }
        }
        return new Answer(out, query, result);
    }

    /**
     * The client-side signal of the edges {@code callers → callee}, one query: each caller's calls by callee.
     *
     * @param edges callee → its callers
     * @return per edge {@code caller>callee} its series
     */
    Answer client(Map<String, List<String>> edges, String signal, Window w) throws MetricsSourceException {
        List<String> callers = edges.values().stream().flatMap(List::stream).distinct().sorted().toList();
        Map<String, String> v = new HashMap<>(vars);
        List<String> terms = new ArrayList<>();
        Map<String, Map<String, String>> valueToService = new HashMap<>();
        List<String[]> read = new ArrayList<>(); // {convention, caller label, by}
        for (MetricConventions.Convention c : table.all()) {
            MetricConventions.Signal s = c.signals().get(signal);
            if (s == null || s.by() == null) {
                continue;
            }
            Matcher m = SELF.matcher(s.query());
            boolean fixed = m.find() && !m.group(1).equals("$service_label");
            for (String label : fixed ? List.of(m.group(1)) : c.serviceLabels()) {
                String alternation = alternation(callers, fixed ? null : label, v, valueToService.computeIfAbsent(label, k -> new HashMap<>()));
                String t = SELF.matcher(s.query()).replaceAll(Matcher.quoteReplacement(label + "=~\"" + alternation + "\""))
                        .replace("sum by (" + s.by() + ")", "sum by (" + s.by() + ", " + label + ")");
                if (t.contains("$service")) {
                    continue;
                }
                terms.add("label_replace(" + t + ", \"rc_convention\", \"" + c.name() + "\", \"\", \"\")");
                read.add(new String[] {c.name(), label, s.by()});
            }
        }
        if (terms.isEmpty()) {
            throw new MetricsSourceException(Evidence.Status.NO_DATA, "no metric convention defines " + signal);
        }
        String query = metrics.render(String.join(" or ", terms), v);
        MetricsSource.Result result = range(query, w);
        Map<String, MetricsSource.Series> out = new LinkedHashMap<>();
        for (String[] r : read) {
            for (MetricsSource.Series s : result.series()) {
                String caller = valueToService.getOrDefault(r[1], Map.of()).get(s.labels().get(r[1]));
                String callee = s.labels().get(r[2]);
                if (!r[0].equals(s.labels().get("rc_convention")) || caller == null || callee == null) {
                    continue;
                }
                for (var e : edges.entrySet()) {
                    if (e.getValue().contains(caller) && names(callee, e.getKey())) {
                        out.putIfAbsent(caller + ">" + e.getKey(), s);
                    }
                }
            }
        }
        return new Answer(out, query, result);
    }

    /** The share of CPU periods throttled per container (cAdvisor, container named like the component), one query. */
    Answer throttling(List<String> services, Window w) throws MetricsSourceException {
        return byContainer("sum by (container) (rate(container_cpu_cfs_throttled_periods_total{container=~\"$c\"}[$rate_window])) / "
                + "sum by (container) (rate(container_cpu_cfs_periods_total{container=~\"$c\"}[$rate_window]))", services, w);
    }

    /** CPU usage per container in cores (cAdvisor's {@code container_cpu_usage_seconds_total}), one query for the components named. */
    Answer cpu(List<String> services, Window w) throws MetricsSourceException {
        return byContainer("sum by (container) (rate(container_cpu_usage_seconds_total{container=~\"$c\"}[$rate_window]))", services, w);
    }

    /** A cAdvisor query by container, {@code $c} standing for the components' alternation. */
    private Answer byContainer(String template, List<String> services, Window w) throws MetricsSourceException {
        Map<String, String> v = new HashMap<>(vars);
        Map<String, String> back = new HashMap<>();
        String query = metrics.render(template.replace("$c", alternation(services, null, v, back)), v);
        MetricsSource.Result result = range(query, w);
        Map<String, MetricsSource.Series> out = new LinkedHashMap<>();
        for (MetricsSource.Series s : result.series()) {
            String service = back.get(s.labels().get("container"));
            if (service != null) {
                out.putIfAbsent(service, s);
            }
        }
        return new Answer(out, query, result);
    }

    private MetricsSource.Result range(String query, Window w) throws MetricsSourceException {
        sent.add(query);
        long t0 = System.nanoTime();
        try {
            MetricsSource.Result r = metrics.range(query, w.start(), w.end(), w.resolution());
            recorded.add(MetricRecordings.of(query, r));
            return r;
        } catch (MetricsSourceException e) {
            recorded.addAll(MetricRecordings.of(e));
            throw e;
        } finally {
            backendNanos += System.nanoTime() - t0;
        }
    }

    /**
     * {@code $walk_0|$walk_1|...}: one placeholder per service (the source regex-quotes each), their values set in
     * {@code v}; {@code back} maps each value to its service.
     *
     * @param label the service label whose catalogue value to use, or null for the plain name
     */
    private String alternation(List<String> services, String label, Map<String, String> v, Map<String, String> back) {
        StringBuilder out = new StringBuilder();
        for (String service : services) {
            String value = label == null ? service : catalogue.find(service).map(x -> x.labels().get(label)).orElse(service);
            String name = "walk_" + v.size();
            v.put(name, value);
            back.put(value, service);
            out.append(out.isEmpty() ? "" : "|").append('$').append(name);
        }
        return out.toString();
    }

    /**
     * A single-service signal query made many-service: the matcher becomes {@code label=~"..."}, every {@code sum}
     * keeps {@code label}; an error ratio {@code (A or vector(0)) / B} or {@code A / B} becomes
     * {@code (A or 0 * B) / B}, so a service without failures still has its 0. Null when the template has a shape
     * this does not know (then the convention is not asked in one query).
     */
    static String grouped(String template, String label, String alternation, boolean ratio) {
        String t = template;
        if (ratio) {
            int i = t.indexOf(OR_ZERO);
            if (i >= 0 && t.startsWith("(")) {
                String den = t.substring(i + OR_ZERO.length());
                t = t.substring(0, i) + " or 0 * " + den + ") / " + den;
            } else {
                int d = topLevelDivision(t);
                if (d < 0) {
                    return null;
                }
                String num = t.substring(0, d).trim();
                String den = t.substring(d + 1).trim();
                t = "(" + num + " or 0 * " + den + ") / " + den;
            }
        }
        t = t.replace("sum by (le)", "sum by (le, " + label + ")").replace("sum(", "sum by (" + label + ") (");
        Matcher m = SELF.matcher(t);
        if (!m.find() || !m.group(1).equals("$service_label")) {
            return null;
        }
        t = SELF.matcher(t).replaceAll(Matcher.quoteReplacement(label + "=~\"" + alternation + "\""));
        t = t.replace("$service_label", label);
        return t.contains("$service") ? null : t;
    }

    /** The index of the first {@code /} outside parentheses, brackets, braces and strings, or -1. */
    private static int topLevelDivision(String t) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == '/' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a client metric's dependency label names the callee: equal, or its host ({@code payments:8080}, {@code payments.shop.svc}). */
    static boolean names(String labelValue, String callee) {
        return labelValue.equals(callee) || labelValue.startsWith(callee + ":") || labelValue.startsWith(callee + ".");
    }
}
