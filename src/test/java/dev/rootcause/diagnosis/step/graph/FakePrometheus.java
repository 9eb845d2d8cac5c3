package dev.rootcause.diagnosis.step.graph;

import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.ruletest.replay.ReplayMetricsSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus for walk tests: components with a signal over time, answering the walk's level queries as the real one
 * would (server side in the classic convention, labelled {@code service}; client side in Micrometer's, {@code application}
 * → {@code client_name}; cAdvisor throttling and CPU usage by {@code container}), and counting what it was asked.
 */
public final class FakePrometheus implements MetricsSource {

    /** A signal: {@code base} (with a ±2 % wiggle) until {@code onset}, then {@code level}; null onset: never changes. */
    public record Profile(double base, double level, Instant onset) {
        public static Profile flat(double v) {
            return new Profile(v, v, null);
        }

        double at(Instant t, int i) {
            return onset != null && !t.isBefore(onset) ? level : base * (1 + 0.02 * ((i % 3) - 1));
        }
    }

    private static final Pattern SINGLE = Pattern.compile("\\bservice=\"([^\"]*)\"");
    private static final Pattern SERVICE = Pattern.compile("\\bservice=~\"([^\"]*)\"");
    private static final Pattern APPLICATION = Pattern.compile("\\bapplication=~\"([^\"]*)\"");
    private static final Pattern CONTAINER = Pattern.compile("\\bcontainer=~\"([^\"]*)\"");

    public final Map<String, Profile> server = new LinkedHashMap<>();
    public final Map<String, Profile> yesterday = new LinkedHashMap<>();
    /** server-side 5xx ratio */
    public final Map<String, Profile> errors = new LinkedHashMap<>();
    /** "caller>callee" */
    public final Map<String, Profile> client = new LinkedHashMap<>();
    public final Map<String, Profile> throttled = new LinkedHashMap<>();
    /** CPU usage in cores, by container */
    public final Map<String, Profile> cpu = new LinkedHashMap<>();
    public final List<String> asked = new ArrayList<>();
    private final ReplayMetricsSource escaping = new ReplayMetricsSource();

    @Override
    public String render(String template, Map<String, String> vars) throws MetricsSourceException {
        return escaping.render(template, vars);
    }

    @Override
    public Result range(String query, Instant start, Instant end, Duration step) {
        asked.add(query);
        List<Series> out = new ArrayList<>();
        if (query.contains("container_cpu_cfs_throttled_periods_total")) {
            for (String c : names(CONTAINER, query)) {
                if (throttled.containsKey(c)) {
                    out.add(series(Map.of("container", c), throttled.get(c), start, end, step));
                }
            }
        } else if (query.contains("container_cpu_usage_seconds_total")) {
            for (String c : names(CONTAINER, query)) {
                if (cpu.containsKey(c)) {
                    out.add(series(Map.of("container", c), cpu.get(c), start, end, step));
                }
            }
        } else if (query.contains("http_client_requests_seconds")) {
            for (String caller : names(APPLICATION, query)) {
                client.forEach((edge, p) -> {
                    if (edge.startsWith(caller + ">")) {
                        out.add(series(Map.of("application", caller, "client_name", edge.substring(caller.length() + 1), "rc_convention",
                                "micrometer"), p, start, end, step));
                    }
                });
            }
        } else if (SINGLE.matcher(query).find() && query.contains("http_request_duration_seconds_bucket") && !query.contains("=~")) {
            // one service's latency, as metrics.compare asks it in the classic convention
            Matcher m = SINGLE.matcher(query);
            m.find();
            if (server.containsKey(m.group(1))) {
                out.add(series(Map.of(), server.get(m.group(1)), start, end, step));
            }
        } else {
            Map<String, Profile> source = query.contains("offset 1d") ? yesterday
                    : query.contains("http_request_duration_seconds_bucket") ? server : errors;
            for (String s : names(SERVICE, query)) {
                if (source.containsKey(s)) {
                    out.add(series(Map.of("service", s, "rc_node", s, "rc_convention", "classic"), source.get(s), start, end, step));
                }
            }
        }
        return new Result(out, step, List.of());
    }

    /** How many queries mention {@code text}. */
    public long count(String text) {
        return asked.stream().filter(q -> q.contains(text)).count();
    }

    private static List<String> names(Pattern p, String query) {
        Matcher m = p.matcher(query);
        if (!m.find()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : m.group(1).split("(?<!\\\\)\\|")) {
            out.add(s.replace("\\", ""));
        }
        return out;
    }

    private static Series series(Map<String, String> labels, Profile p, Instant start, Instant end, Duration step) {
        List<Instant> times = new ArrayList<>();
        for (Instant t = start; !t.isAfter(end); t = t.plus(step)) {
            times.add(t);
        }
        double[] v = new double[times.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = p.at(times.get(i), i);
        }
        return new Series(labels, times, v);
    }

    /** Convention detection: every service is instrumented with the classic client library, labelled {@code service}. */
    @Override
    public Result instant(String query, Instant at) {
        asked.add(query);
        return new Result(List.of(new Series(Map.of("convention", "classic", "service_label", "service"), List.of(at), new double[] {1})),
                null, List.of());
    }

    @Override
    public List<String> labelValues(String label, List<String> match, Instant start, Instant end) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String link(String query, Instant start, Instant end) {
        return "http://prometheus/graph";
    }

    @Override
    public String name() {
        return "prometheus";
    }
}
