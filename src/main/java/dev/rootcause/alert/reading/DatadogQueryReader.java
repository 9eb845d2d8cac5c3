package dev.rootcause.alert.reading;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Datadog monitor queries read as {@link PromQl.Expression}s, for {@link ForeignExpressions#datadog}. */
final class DatadogQueryReader {

    /**
     * One metric query of a Datadog monitor: {@code [<space_aggr>:]<metric>{<scope>}[ by {<tags>}][.<fn>()…]}
     * (docs.datadoghq.com/metrics/#anatomy-of-a-metric-query).
     */
    private static final Pattern DD_QUERY = Pattern.compile(
            "(?:\\b(avg|sum|min|max|count|p\\d{1,3}(?:\\.\\d+)?):)?([a-zA-Z][a-zA-Z0-9_.]*)\\{([^}]*)}(?:\\s*by\\s*\\{([^}]*)})?((?:\\.[a-z_]+\\([^)]*\\))*)");
    /** The monitor's time aggregation before the query ({@code avg(last_5m):}, {@code change(avg(last_5m),last_5m):}). */
    private static final Pattern DD_TIME_AGGR = Pattern.compile("^\\s*[a-z_]+\\((?:[^()]|\\([^()]*\\))*\\)\\s*:");
    /** Trace metrics' own suffixes; without one, {@code trace.<span>} is the span's latency distribution. */
    private static final Set<String> TRACE_SUFFIXES = Set.of("hits", "errors", "apdex", "duration", "by_http_status", "by_service",
            "hits.by_http_status", "errors.by_http_status");

    private DatadogQueryReader() {
    }

    /**
     * A Datadog monitor query ({@code $ALERT_QUERY}), e.g.
     * {@code avg(last_5m):sum:trace.http.request.errors{service:checkout,env:prod}.as_count() / sum:trace.http.request.hits{service:checkout}.as_count() > 0.05}.
     * Each metric query becomes a selector: the metric name with {@code .} as {@code _} ({@code trace.<span>} alone, the
     * latency distribution, as {@code trace_<span>_duration}); scope {@code key:value} → {@code key="value"},
     * {@code !key:value} → {@code !=}, a {@code *} in the value → {@code =~}; functions innermost first
     * ({@code .as_rate()} → rate, {@code .as_count()} → increase, then the space aggregation, {@code pNN} →
     * histogram_quantile); {@code by {…}} → grouping. Queries after a top-level {@code /} are secondary (a divisor).
     *
     * @return null when no metric query is found
     */
    static PromQl.Expression read(String text) {
        String q = DD_TIME_AGGR.matcher(text).replaceFirst("");
        List<PromQl.Selector> selectors = new ArrayList<>();
        List<String> grouping = new ArrayList<>();
        Matcher m = DD_QUERY.matcher(q);
        while (m.find()) {
            boolean secondary = q.substring(0, m.start()).contains("/");
            List<String> functions = new ArrayList<>();
            String fns = m.group(5) == null ? "" : m.group(5);
            if (fns.contains(".as_rate(")) {
                functions.add("rate");
            } else if (fns.contains(".as_count(")) {
                functions.add("increase");
            }
            String aggr = m.group(1);
            if (aggr != null) {
                functions.add(aggr.startsWith("p") ? "histogram_quantile" : aggr);
            }
            String name = m.group(2);
            String metric = name.startsWith("trace.") && TRACE_SUFFIXES.stream().noneMatch(s -> name.endsWith("." + s)) ? name + ".duration" : name;
            selectors.add(new PromQl.Selector(metric.replace('.', '_'), matchers(m.group(3)), functions, secondary));
            if (m.group(4) != null) {
                for (String g : m.group(4).split(",")) {
                    if (!g.isBlank()) {
                        grouping.add(g.strip().replaceAll("[^a-zA-Z0-9_]", "_"));
                    }
                }
            }
        }
        return selectors.isEmpty() ? null : new PromQl.Expression(selectors, grouping);
    }

    private static List<PromQl.Matcher> matchers(String scope) {
        List<PromQl.Matcher> out = new ArrayList<>();
        for (String part : scope.split(",")) {
            String s = part.strip();
            boolean not = s.startsWith("!");
            s = not ? s.substring(1) : s;
            int colon = s.indexOf(':');
            if (s.equals("*") || colon <= 0) {
                continue;
            }
            String label = s.substring(0, colon).replaceAll("[^a-zA-Z0-9_]", "_");
            String value = s.substring(colon + 1);
            boolean wildcard = value.contains("*");
            String op = wildcard ? (not ? "!~" : "=~") : (not ? "!=" : "=");
            out.add(new PromQl.Matcher(label, op, wildcard ? value.replace(".", "\\.").replace("*", ".*") : value));
        }
        return out;
    }
}
