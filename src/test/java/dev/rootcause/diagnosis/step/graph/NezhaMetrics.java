package dev.rootcause.diagnosis.step.graph;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.source.metrics.PromQl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link MetricsSource} answering the walk's PromQL from a {@link NezhaFixture}, as Prometheus would have answered had
 * it scraped the dataset under the replay's convention ({@code nezha/conventions.yaml}):
 * {@code nezha_server_latency_seconds{service=~"a|b"}} gives one series per service of {@code serverSignal}
 * ({@code pod.latency_p99} or {@code trace.latency_p90}), {@code nezha_client_latency_seconds{service=~"a|b"}} one
 * series per edge the callers have (labelled {@code service} = caller, {@code callee}). The samples are the fixture's,
 * at the dataset's own times within the asked range (the step is not resampled). CPU usage
 * ({@code rate(container_cpu_usage_seconds_total{container=~"a|b"}[…])}) is each pod's {@code cpu} column (% of its
 * limit) over 100, as cores of a one-core limit: the walk judges its rise, not its level. Asked for a window a day
 * before ({@code offset}), for CPU throttling (cAdvisor's CFS counters) or memory, it answers no series: the dataset has
 * no day before, no throttling, and memory the walk does not ask. Per-edge client latency exists for Online Boutique
 * only: Train Ticket's client queries are answered empty.
 * Anything else is an error naming the query. Counts the queries and the time spent answering.
 */
final class NezhaMetrics implements MetricsSource {

    private static final Pattern CPU = Pattern.compile("container_cpu_usage_seconds_total\\{container=~\"((?:[^\"\\\\]|\\\\.)*)\"\\}");
    private static final Pattern SELECTOR = Pattern.compile("(nezha_server_latency_seconds|nezha_client_latency_seconds)\\{service=~\"((?:[^\"\\\\]|\\\\.)*)\"\\}");

    private final NezhaFixture fixture;
    private final String serverSignal;
    private final List<String> asked = new ArrayList<>();

    /** @param serverSignal the fixture signal that answers server latency, e.g. {@code pod.latency_p99} */
    NezhaMetrics(NezhaFixture fixture, String serverSignal) {
        this.fixture = fixture;
        this.serverSignal = serverSignal;
    }

    /** Every range query asked, in order. */
    List<String> asked() {
        return List.copyOf(asked);
    }

    @Override
    public String render(String template, Map<String, String> vars) throws MetricsSourceException {
        return PromQl.render(template, vars);
    }

    @Override
    public Result range(String query, Instant start, Instant end, Duration step) throws MetricsSourceException {
        asked.add(query);
        List<Series> out = new ArrayList<>();
        if (query.contains("container_cpu_cfs_throttled_periods_total") || query.contains(" offset ")) {
            return new Result(out, step, List.of());
        }
        Matcher cpu = CPU.matcher(query);
        if (cpu.find()) {
            for (String service : cpu.group(1).replace("\\", "").split("\\|")) {
                Map<Long, Double> percent = fixture.window("pod.cpu", service, start, end);
                Map<Long, Double> cores = new java.util.TreeMap<>();
                percent.forEach((t, v) -> cores.put(t, v / 100));
                add(out, Map.of("container", service), cores);
            }
            return new Result(out, step, List.of());
        }
        Matcher m = SELECTOR.matcher(query);
        boolean any = false;
        while (m.find()) {
            any = true;
            boolean server = m.group(1).equals("nezha_server_latency_seconds");
            for (String service : m.group(2).replace("\\", "").split("\\|")) {
                if (server) {
                    add(out, Map.of("service", service, "rc_node", service, "rc_convention", "nezha"),
                            fixture.window(serverSignal, service, start, end));
                    continue;
                }
                for (String edge : fixture.keys("edge.client_p50")) {
                    if (edge.startsWith(service + ">")) {
                        add(out, Map.of("service", service, "callee", edge.substring(service.length() + 1), "rc_convention", "nezha"),
                                fixture.window("edge.client_p50", edge, start, end));
                    }
                }
            }
        }
        if (!any) {
            throw new MetricsSourceException(Evidence.Status.ERROR, "the Nezha replay has no answer for: " + query);
        }
        return new Result(out, step, List.of());
    }

    private static void add(List<Series> out, Map<String, String> labels, Map<Long, Double> samples) {
        if (samples.isEmpty()) {
            return;
        }
        List<Instant> times = new ArrayList<>();
        double[] values = new double[samples.size()];
        int i = 0;
        for (var e : samples.entrySet()) {
            times.add(Instant.ofEpochSecond(e.getKey()));
            values[i++] = e.getValue();
        }
        out.add(new Series(new LinkedHashMap<>(labels), times, values));
    }

    @Override
    public Result instant(String query, Instant at) throws MetricsSourceException {
        throw new MetricsSourceException(Evidence.Status.ERROR, "the Nezha replay answers range queries only: " + query);
    }

    @Override
    public List<String> labelValues(String label, List<String> match, Instant start, Instant end) throws MetricsSourceException {
        throw new MetricsSourceException(Evidence.Status.ERROR, "the Nezha replay has no label values");
    }

    @Override
    public String link(String query, Instant start, Instant end) {
        return null;
    }

    @Override
    public String name() {
        return "nezha-replay";
    }
}
