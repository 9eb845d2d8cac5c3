package dev.rootcause.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Drives {@code scripts/stack.sh}: the real Prometheus, Alertmanager, Redis and redis_exporter. */
final class Stack {

    static final String PROMETHEUS = "http://127.0.0.1:19090";

    /**
     * The {@code generatorURL} the stack's Prometheus gives an alert of {@code expression}: its web UI link
     * {@code /graph?g0.expr=<url-encoded expression>&g0.tab=1} (Prometheus' {@code strutil.TableLinkForExpression}).
     */
    static String generatorUrl(String expression) {
        return PROMETHEUS + "/graph?g0.expr=" + java.net.URLEncoder.encode(expression, java.nio.charset.StandardCharsets.UTF_8)
                + "&g0.tab=1";
    }

    private final Path dir;
    private final String webhook;
    private final String extraTargets;
    private final String blackboxTargets;
    private Path blocks;
    private java.util.List<Path> ruleFiles = java.util.List.of();

    Stack(Path dir, String webhook) {
        this(dir, webhook, "");
    }

    /** @param extraTargets host:port list Prometheus also scrapes (job {@code testdata}) */
    Stack(Path dir, String webhook, String extraTargets) {
        this(dir, webhook, extraTargets, "");
    }

    /** @param blackboxTargets {@code service=url} list the blackbox exporter probes (job {@code blackbox}) */
    Stack(Path dir, String webhook, String extraTargets, String blackboxTargets) {
        this.dir = dir;
        this.webhook = webhook;
        this.extraTargets = extraTargets;
        this.blackboxTargets = blackboxTargets;
    }

    /**
     * Backfilled history for the stack's Prometheus: the blocks directory {@link PromBackfill#writeBlocks}
     * returned, copied into its data directory by the next {@link #up()} ({@code PROM_BLOCKS}).
     */
    Stack withBlocks(Path blocks) {
        this.blocks = blocks;
        return this;
    }

    /**
     * Prometheus rule files loaded besides the stack's own ({@code PROM_RULE_FILES}), e.g. a test's alerting
     * rule over the series it serves; {@code promtool check config} checks them at {@link #up()}.
     */
    Stack withRuleFiles(Path... files) {
        this.ruleFiles = java.util.List.of(files);
        return this;
    }

    /**
     * @throws IllegalStateException with the script's output when the stack cannot start (a binary that
     *                               cannot be installed, a port in use): the suite fails, never skips
     */
    void up() throws IOException, InterruptedException {
        run("up", 300);
    }

    /** Starts one part only: {@code metrics} or {@code zipkin} (see scripts/stack.sh). */
    void up(String component) throws IOException, InterruptedException {
        run("up", 300, component);
    }

    void down() throws IOException, InterruptedException {
        run("down", 60);
    }

    /** The PIDs the stack's pid files name (read them before {@link #down()}, which removes the files). */
    java.util.List<Long> pids() throws IOException {
        Path pids = dir.resolve("pids");
        if (!Files.isDirectory(pids)) {
            return java.util.List.of();
        }
        try (var files = Files.list(pids)) {
            java.util.List<Long> out = new java.util.ArrayList<>();
            for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                out.add(Long.parseLong(Files.readString(f).strip()));
            }
            return out;
        }
    }

    /** True when the process runs and is not a zombie ({@code /proc/<pid>/stat} state Z: stopped, not yet reaped). */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    /** {@code scripts/stack.sh status}: one line per process it started, "running (pid n)" or "stopped". */
    String status() throws IOException, InterruptedException {
        run("status", 30);
        return Files.readString(dir.resolve("stack-status.out"));
    }

    private void run(String verb, int timeoutSeconds, String... args) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path out = dir.resolve("stack-" + verb + ".out");
        ProcessBuilder pb = new ProcessBuilder(java.util.stream.Stream.concat(java.util.stream.Stream.of("scripts/stack.sh", verb),
                java.util.Arrays.stream(args)).toList()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("STACK_DIR", dir.toString());
        pb.environment().put("ROOTCAUSE_WEBHOOK_URL", webhook);
        pb.environment().put("EXTRA_SCRAPE_TARGETS", extraTargets);
        pb.environment().put("BLACKBOX_TARGETS", blackboxTargets);
        if (blocks != null) {
            pb.environment().put("PROM_BLOCKS", blocks.toString());
        }
        pb.environment().put("PROM_RULE_FILES", String.join(",", ruleFiles.stream().map(Path::toString).toList()));
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("scripts/stack.sh " + verb + " did not finish in " + timeoutSeconds + "s: "
                    + Files.readString(out));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("scripts/stack.sh " + verb + " failed (exit " + p.exitValue() + "):\n"
                    + Files.readString(out));
        }
    }
}
