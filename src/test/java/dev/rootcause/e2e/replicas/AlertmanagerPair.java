package dev.rootcause.e2e.replicas;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two real Alertmanagers (Debian {@code prometheus-alertmanager}, 0.25) clustered as an HA pair: each gossips
 * with the other ({@code --cluster.listen-address}/{@code --cluster.peer} on free loopback ports), has its own
 * storage directory, and notifies the same webhook (the load balancer). As with a Prometheus HA pair, alerts are
 * posted to both ({@link #postToBoth}); the second in cluster order waits {@code --cluster.peer-timeout} (2 s here)
 * before notifying and skips what the notification log gossiped from the first says was sent — best effort, so
 * both may notify. Route: group by {@code alertname, group}, group_wait 1 s, group_interval 5 s,
 * repeat_interval 1 h; {@code resolve_timeout} 1 h so no alert resolves by itself during the suite.
 */
public final class AlertmanagerPair implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<Integer> webPorts = List.of(Binaries.freePort(), Binaries.freePort());
    private final List<Process> processes = new ArrayList<>();

    /** Starts both and returns once both are ready and see each other as cluster members. */
    public AlertmanagerPair(Path dir, String webhookUrl) throws IOException {
        String am = Binaries.require("prometheus-alertmanager", "prometheus-alertmanager", "alertmanager");
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, String.join("\n",
                "global:", "  resolve_timeout: 1h",
                "route:", "  receiver: rootcause", "  group_by: [alertname, group]", "  group_wait: 1s",
                "  group_interval: 5s", "  repeat_interval: 1h",
                "receivers:", "  - name: rootcause", "    webhook_configs:", "      - url: '" + webhookUrl + "'",
                "        send_resolved: true", ""));
        List<Integer> clusterPorts = List.of(Binaries.freePort(), Binaries.freePort());
        for (int i = 0; i < 2; i++) {
            Path storage = Files.createDirectories(dir.resolve("alertmanager-" + i + "-data"));
            processes.add(new ProcessBuilder(am, "--config.file=" + config, "--storage.path=" + storage,
                    "--web.listen-address=127.0.0.1:" + webPorts.get(i),
                    "--cluster.listen-address=127.0.0.1:" + clusterPorts.get(i),
                    "--cluster.advertise-address=127.0.0.1:" + clusterPorts.get(i),
                    "--cluster.peer=127.0.0.1:" + clusterPorts.get(1 - i),
                    "--cluster.peer-timeout=2s", "--cluster.settle-timeout=10s", "--cluster.pushpull-interval=5s")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("alertmanager-" + i + ".log").toFile())).start());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (int i = 0; i < 2; i++) {
                if (!processes.get(i).isAlive()) {
                    throw new IllegalStateException("alertmanager " + i + " exited; see " + dir.resolve("alertmanager-" + i + ".log"));
                }
                if (metric(i, "alertmanager_cluster_members") != 2) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Posts one JSON array of alerts to {@code /api/v2/alerts} of both; both must answer 200. */
    public void postToBoth(String alertsJson) throws IOException, InterruptedException {
        for (int port : webPorts) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alertsJson)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("alertmanager on " + port + " answered " + r.statusCode() + ": " + r.body());
            }
        }
    }

    /**
     * The sum of a metric's samples on Alertmanager {@code i} (0 or 1), e.g. {@code alertmanager_notifications_total};
     * -1 when it cannot be read.
     */
    public double metric(int i, String name) {
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPorts.get(i) + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
            double sum = 0;
            boolean found = false;
            while (m.find()) {
                sum += Double.parseDouble(m.group(2));
                found = true;
            }
            return found ? sum : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            p.waitFor();
        }
    }
}
