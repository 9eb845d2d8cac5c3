package dev.rootcause.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * History for a real Prometheus, written in the past: samples are collected per series, rendered as
 * OpenMetrics text (timestamps in seconds) and turned into TSDB blocks by {@code promtool tsdb
 * create-blocks-from openmetrics} (Prometheus' documented backfilling path). The blocks then either go to
 * the stack's Prometheus ({@code PROM_BLOCKS=<dir> scripts/stack.sh up}, see {@link Stack}) or to a
 * private Prometheus started by {@link #startPrometheus(Path, Path)} on a free loopback port.
 *
 * <p>Samples may reach up to "now": Prometheus 2.39+ accepts blocks that overlap its head. Counters are
 * plain running totals (the caller integrates its rates); histograms are the caller's {@code _bucket},
 * {@code _sum} and {@code _count} series with an {@code le} label. Family types are written as
 * {@code unknown}: queries do not care and promtool accepts any sample name for them.
 *
 * <p>Example — a counter at 1 req/s for the last 2 hours, one sample every 15 s:
 * <pre>{@code
 * var b = new PromBackfill();
 * long now = Instant.now().getEpochSecond();
 * for (long t = now - 7200; t <= now; t += 15) b.sample("http_requests_total", Map.of("service", "checkout", "code", "200"), t, t - (now - 7200));
 * Path blocks = b.writeBlocks(dir);
 * }</pre>
 */
public final class PromBackfill {

    /** series key ({@code name{labels}}) → (epoch seconds → value); insertion order kept per family. */
    private final Map<String, Map<String, TreeMap<Long, Double>>> families = new LinkedHashMap<>();

    /**
     * Adds one sample.
     *
     * @param metric       the series name, e.g. {@code http_requests_total} (also its family name)
     * @param labels       label name → value (no {@code __name__}); values are escaped here
     * @param epochSeconds the sample's time, seconds since the epoch
     * @param value        the sample's value (a running total for counters)
     * @return this
     * @throws IllegalArgumentException when the metric or a label name is not a valid Prometheus name
     */
    public PromBackfill sample(String metric, Map<String, String> labels, long epochSeconds, double value) {
        if (!metric.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("metric name not valid in Prometheus: " + metric);
        }
        String key = metric + renderLabels(labels);
        families.computeIfAbsent(metric, m -> new LinkedHashMap<>())
                .computeIfAbsent(key, k -> new TreeMap<>())
                .put(epochSeconds, value);
        return this;
    }

    /** Number of samples added so far (all series). */
    public int size() {
        return families.values().stream().flatMap(f -> f.values().stream()).mapToInt(Map::size).sum();
    }

    /** The OpenMetrics text promtool reads: one {@code # TYPE} per family, series in time order, {@code # EOF}. */
    public String openMetrics() {
        StringBuilder out = new StringBuilder();
        for (var family : families.entrySet()) {
            out.append("# TYPE ").append(family.getKey()).append(" unknown\n");
            for (var series : family.getValue().entrySet()) {
                for (var s : series.getValue().entrySet()) {
                    out.append(series.getKey()).append(' ').append(formatValue(s.getValue()))
                            .append(' ').append(s.getKey()).append('\n');
                }
            }
        }
        return out.append("# EOF\n").toString();
    }

    /**
     * Writes {@code dir/history.om} and turns it into blocks under {@code dir/blocks}.
     *
     * @return the blocks directory (each child a TSDB block), for {@code PROM_BLOCKS} or {@link #startPrometheus}
     * @throws IllegalStateException when promtool is missing (the test must fail, not skip) or rejects the input
     */
    public Path writeBlocks(Path dir) throws IOException, InterruptedException {
        if (families.isEmpty()) {
            throw new IllegalStateException("no samples to backfill");
        }
        Files.createDirectories(dir);
        Path input = dir.resolve("history.om");
        Path blocks = dir.resolve("blocks");
        deleteTree(blocks);
        Files.writeString(input, openMetrics());
        Path log = dir.resolve("promtool.out");
        Process p;
        try {
            p = new ProcessBuilder("promtool", "tsdb", "create-blocks-from", "openmetrics",
                    input.toString(), blocks.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("promtool not found: install Debian package prometheus (scripts/stack.sh does)", e);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("promtool did not finish in 120 s: " + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("promtool failed (exit " + p.exitValue() + "): " + Files.readString(log));
        }
        return blocks;
    }

    /**
     * Starts a private Prometheus (no scrape targets) on a free loopback port over a copy of the blocks, and
     * waits (deadline 60 s) until it is ready. Retention is 30 days so history days old survives.
     *
     * @param blocks  the directory {@link #writeBlocks} returned
     * @param workDir where its config, data and log go (replaced)
     * @throws IllegalStateException when the binary is missing or it does not become ready
     */
    public static PrivatePrometheus startPrometheus(Path blocks, Path workDir) throws IOException, InterruptedException {
        deleteTree(workDir);
        Path data = workDir.resolve("data");
        Files.createDirectories(data);
        try (var children = Files.list(blocks)) {
            for (Path block : children.toList()) {
                copyTree(block, data.resolve(block.getFileName()));
            }
        }
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 15s\nscrape_configs: []\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = workDir.resolve("prometheus.log");
        Process process;
        try {
            process = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + data,
                    "--storage.tsdb.retention.time=30d", "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("prometheus not found: install Debian package prometheus (scripts/stack.sh does)", e);
        }
        PrivatePrometheus prometheus = new PrivatePrometheus(process, "http://127.0.0.1:" + port, log);
        try {
            prometheus.awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException | InterruptedException e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    /** A Prometheus this test started; {@link #close()} stops exactly that process. */
    public static final class PrivatePrometheus implements AutoCloseable {
        private final Process process;
        private final String url;
        private final Path log;

        private PrivatePrometheus(Process process, String url, Path log) {
            this.process = process;
            this.url = url;
            this.log = log;
        }

        /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
        public String url() {
            return url;
        }

        /** The PID, for a test that checks nothing is left running. */
        public long pid() {
            return process.pid();
        }

        void awaitReady(Duration deadline) throws IOException, InterruptedException {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Instant end = Instant.now().plus(deadline);
            while (Instant.now().isBefore(end)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("prometheus exited (" + process.exitValue() + "): " + Files.readString(log));
                }
                try {
                    var r = http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                TimeUnit.MILLISECONDS.sleep(100); // polling interval, bounded by the deadline
            }
            throw new IllegalStateException("prometheus not ready after " + deadline.toSeconds() + " s: " + Files.readString(log));
        }

        /** Stops the process (TERM, then KILL after 10 s) and waits for it. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static String renderLabels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (var e : new TreeMap<>(labels).entrySet()) {
            if (!e.getKey().matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                throw new IllegalArgumentException("label name not valid in Prometheus: " + e.getKey());
            }
            String v = e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
            parts.add(e.getKey() + "=\"" + v + "\"");
        }
        return parts.stream().collect(Collectors.joining(",", "{", "}"));
    }

    private static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return String.format(Locale.ROOT, "%s", v);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
