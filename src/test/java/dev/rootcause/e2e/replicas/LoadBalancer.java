package dev.rootcause.e2e.replicas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy (Debian package {@code haproxy}, 2.6) in front of the replicas on a free loopback port: round robin,
 * health checks on {@code GET /q/health/ready} every second (down after 2 failures, up after 2 successes), a
 * refused connection retried on another replica ({@code option redispatch}). Every answer is logged, one line
 * each, as {@code <status> <method> <path>} to {@code haproxy.log}, which {@link #answers(String)} counts: the
 * acknowledgements Alertmanager received.
 */
public final class LoadBalancer implements AutoCloseable {

    private final int port = Binaries.freePort();
    private final Path log;
    private final Process process;

    /** @param backends the replicas' loopback ports */
    public LoadBalancer(Path dir, List<Integer> backends) throws IOException {
        String haproxy = Binaries.require("haproxy", "haproxy", "/usr/sbin/haproxy");
        List<String> cfg = new ArrayList<>(List.of(
                "global", "  log stdout format raw local0", "  maxconn 512",
                "defaults", "  mode http", "  log global", "  log-format \"%ST %HM %HP %b/%s\"",
                "  timeout connect 2s", "  timeout client 30s", "  timeout server 30s",
                "  retries 3", "  option redispatch",
                "frontend intake", "  bind 127.0.0.1:" + port, "  default_backend replicas",
                "backend replicas", "  balance roundrobin", "  option httpchk GET /q/health/ready",
                "  http-check expect status 200", "  default-server inter 1s fall 2 rise 2"));
        for (int i = 0; i < backends.size(); i++) {
            cfg.add("  server r" + i + " 127.0.0.1:" + backends.get(i) + " check");
        }
        Path file = dir.resolve("haproxy.cfg");
        Files.write(file, cfg);
        log = dir.resolve("haproxy.log");
        process = new ProcessBuilder(haproxy, "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Where Alertmanager sends: the load balancer's address. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** How many answers of each status the load balancer gave to {@code method path} so far, from its log. */
    public Map<Integer, Integer> answers(String methodAndPath) throws IOException {
        Map<Integer, Integer> out = new HashMap<>();
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split(" ");
            if (f.length >= 3 && (f[1] + " " + f[2]).equals(methodAndPath) && f[0].matches("\\d{3}")) {
                out.merge(Integer.parseInt(f[0]), 1, Integer::sum);
            }
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
