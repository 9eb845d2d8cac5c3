package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.Api;
import dev.rootcause.PackagedApp;
import dev.rootcause.ruletest.replay.ReplayMetricsSource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The saturation, certificate and config-change rules on a real Prometheus: two hours of cAdvisor,
 * kube-state-metrics, kubelet, node_exporter, blackbox and HTTP series written in the past
 * ({@link PromBackfill}), with decoys each rule must not take — a sibling workload {@code checkout-worker}
 * (OOM-looping, its volume full, on a node in DiskPressure), cAdvisor's pod-level and pause series, a
 * {@code /boot} and a tmpfs that are full, the CPU limit — and the packaged service diagnosing
 * {@code checkout} on demand. Ten minutes ago checkout's containers started being OOM-killed, its volume
 * filled, its certificate expired and a config change (posted to the change API) raised its 5xx ratio.
 */
class SaturationRulesIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String NS = "shop";
    private static final String POD = "checkout-7d9f8b6c5-x2x7z";
    private static final String WORKER = "checkout-worker-6b5c4d7f8-x2x7z";
    private static final String STAGING = "checkout-5f6d7c8b9-q9w8z";

    private static Path work;
    private static PromBackfill.PrivatePrometheus prometheus;
    private static PackagedApp app;
    private static long now;
    private static long incident;

    @BeforeAll
    static void up() throws Exception {
        now = Instant.now().getEpochSecond();
        incident = now - 600;
        work = Path.of("target/saturation-it").toAbsolutePath();
        if (Files.exists(work)) { // a fresh store: the change posted below must be new
            try (var paths = Files.walk(work)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        prometheus = PromBackfill.startPrometheus(history().writeBlocks(work.resolve("history")), work.resolve("prometheus"));
        Path rules = Files.createDirectories(work.resolve("rules"));
        for (String rule : List.of("memory-pressure", "pod-restarts", "disk-pressure", "cert-expiry", "config-change")) {
            Files.copy(Path.of("rules", rule + ".yaml"), rules.resolve(rule + ".yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path app1 = Files.createDirectories(work.resolve("app"));
        app = new PackagedApp(app1);
        app.start(Map.of(
                "quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + app1.resolve("data/rootcause")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "rootcause.rules.dir", rules.toString(),
                "rootcause.sources.prometheus.url", prometheus.url()));
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            if (prometheus != null) {
                prometheus.close();
            }
        }
    }

    /** Every 15 s over the last two hours; the incident starts ten minutes ago. */
    private static PromBackfill history() {
        var b = new PromBackfill();
        double checkoutRestarts = 0;
        double workerRestarts = 0;
        double ok = 0;
        double failed = 0;
        for (long t = now - 7200; t <= now; t += 15) {
            boolean after = t >= incident;
            // cAdvisor: checkout's container, its pod-level cgroup (no container label) and pause container, the decoys
            b.sample("container_memory_working_set_bytes", labels("container", "checkout", "pod", POD, "namespace", NS), t, after ? 0.98e9 : 0.6e9);
            b.sample("container_memory_working_set_bytes", labels("pod", POD, "namespace", NS), t, 1.3e9);
            b.sample("container_memory_working_set_bytes", labels("container", "POD", "pod", POD, "namespace", NS), t, 1.4e9);
            b.sample("container_memory_working_set_bytes", labels("container", "worker", "pod", WORKER, "namespace", NS), t, 1.0e9);
            b.sample("container_memory_working_set_bytes", labels("container", "checkout", "pod", STAGING, "namespace", "staging"), t, 0.3e9);
            for (String[] c : new String[][] {{"checkout", POD, NS}, {"worker", WORKER, NS}, {"checkout", STAGING, "staging"}}) {
                b.sample("kube_pod_container_resource_limits", labels("container", c[0], "pod", c[1], "namespace", c[2],
                        "resource", "memory", "unit", "byte"), t, 1e9);
                b.sample("kube_pod_container_resource_limits", labels("container", c[0], "pod", c[1], "namespace", c[2],
                        "resource", "cpu", "unit", "core"), t, 0.5);
            }
            // kube-state-metrics: checkout restarts every 2 min from a minute into the incident, last reason OOMKilled
            if (t >= incident + 60 && (t - incident - 60) % 120 == 0) {
                checkoutRestarts++;
            }
            if ((t / 15) % 2 == 0) {
                workerRestarts++;
            }
            b.sample("kube_pod_container_status_restarts_total", labels("container", "checkout", "pod", POD, "namespace", NS), t, checkoutRestarts);
            b.sample("kube_pod_container_status_restarts_total", labels("container", "worker", "pod", WORKER, "namespace", NS), t, workerRestarts);
            b.sample("kube_pod_container_status_restarts_total", labels("container", "checkout", "pod", STAGING, "namespace", "staging"), t, 0);
            if (after) {
                b.sample("kube_pod_container_status_last_terminated_reason", labels("container", "checkout", "pod", POD, "namespace", NS,
                        "reason", "OOMKilled"), t, 1);
                b.sample("kube_pod_container_status_last_terminated_exitcode", labels("container", "checkout", "pod", POD, "namespace", NS), t, 137);
            }
            b.sample("kube_pod_container_status_last_terminated_reason", labels("container", "worker", "pod", WORKER, "namespace", NS,
                    "reason", "OOMKilled"), t, 1);
            if (t >= incident + 120) {
                b.sample("kube_pod_container_status_waiting_reason", labels("container", "checkout", "pod", POD, "namespace", NS,
                        "reason", "CrashLoopBackOff"), t, 1);
            }
            b.sample("kube_pod_info", labels("pod", POD, "namespace", NS, "node", "node-a"), t, 1);
            b.sample("kube_pod_info", labels("pod", WORKER, "namespace", NS, "node", "node-b"), t, 1);
            b.sample("kube_pod_info", labels("pod", STAGING, "namespace", "staging", "node", "node-c"), t, 1);
            // volumes: checkout's fills up, the worker's has been full all along
            b.sample("kube_pod_spec_volumes_persistentvolumeclaims_info", labels("pod", POD, "namespace", NS, "volume", "data",
                    "persistentvolumeclaim", "data-checkout"), t, 1);
            b.sample("kube_pod_spec_volumes_persistentvolumeclaims_info", labels("pod", WORKER, "namespace", NS, "volume", "data",
                    "persistentvolumeclaim", "data-worker"), t, 1);
            b.sample("kubelet_volume_stats_capacity_bytes", labels("namespace", NS, "persistentvolumeclaim", "data-checkout"), t, 10e9);
            b.sample("kubelet_volume_stats_available_bytes", labels("namespace", NS, "persistentvolumeclaim", "data-checkout"), t, after ? 0.1e9 : 5e9);
            b.sample("kubelet_volume_stats_capacity_bytes", labels("namespace", NS, "persistentvolumeclaim", "data-worker"), t, 10e9);
            b.sample("kubelet_volume_stats_available_bytes", labels("namespace", NS, "persistentvolumeclaim", "data-worker"), t, 0);
            // nodes: node-a's root is half full, its /boot and a tmpfs are full; node-b is full and in DiskPressure
            filesystem(b, "node-a", "/", "ext4", 0.5, t);
            filesystem(b, "node-a", "/boot", "ext4", 0.01, t);
            filesystem(b, "node-a", "/run", "tmpfs", 0.01, t);
            filesystem(b, "node-b", "/", "ext4", 0.01, t);
            for (String node : List.of("node-a", "node-b")) {
                b.sample("node_uname_info", labels("instance", node, "nodename", node), t, 1);
                b.sample("kube_node_info", labels("node", node), t, 1);
                b.sample("kube_node_status_condition", labels("node", node, "condition", "DiskPressure", "status", "true"), t, node.equals("node-b") ? 1 : 0);
                b.sample("kube_node_status_condition", labels("node", node, "condition", "DiskPressure", "status", "false"), t, node.equals("node-b") ? 0 : 1);
            }
            // blackbox: the certificate expired 30 s before the incident; from then on the probe fails and the
            // exporter no longer reports the expiry (as it does: the handshake fails before it sees the chain)
            if (t < incident) {
                b.sample("probe_ssl_earliest_cert_expiry", labels("service", "checkout", "instance", "https://checkout.shop.example/"), t, incident - 30);
            }
            b.sample("probe_success", labels("service", "checkout", "instance", "https://checkout.shop.example/"), t, after ? 0 : 1);
            // HTTP: 10 req/s; 5xx 0.02/s before the config change (at the incident's start), 1/s after
            ok += 15 * 10.0;
            failed += 15 * (after ? 1.0 : 0.02);
            b.sample("http_requests_total", labels("service", "checkout", "code", "200"), t, ok);
            b.sample("http_requests_total", labels("service", "checkout", "code", "500"), t, failed);
        }
        return b;
    }

    private static void filesystem(PromBackfill b, String node, String mountpoint, String fstype, double availShare, long t) {
        Map<String, String> l = labels("instance", node, "mountpoint", mountpoint, "fstype", fstype, "device", "/dev/" + fstype);
        b.sample("node_filesystem_size_bytes", l, t, 100e9);
        b.sample("node_filesystem_avail_bytes", l, t, availShare * 100e9);
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return out;
    }

    @Test
    void saturationCertificateAndConfigChangeAreNamedAndDecoysAreLeftOut() throws Exception {
        String change = "{\"id\":\"cfg-481\",\"service\":\"checkout\",\"version\":\"PAYMENT_TIMEOUT_MS=200\","
                + "\"previousVersion\":\"PAYMENT_TIMEOUT_MS=2000\",\"author\":\"bob\",\"time\":\"" + Instant.ofEpochSecond(incident)
                + "\",\"kind\":\"config\"}";
        HttpResponse<String> posted = app.postJson("/api/v1/changes", change);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        assertThat(Api.read(app.get("/api/v1/changes?service=checkout&kind=config,flag").body()).size()).isEqualTo(1);
        assertThat(Api.read(app.get("/api/v1/changes?service=checkout&kind=deploy").body()).size()).isZero();
        assertThat(app.get("/api/v1/changes?kind=configuration").statusCode()).isEqualTo(400);
        // since issue 24 source= names the sending system: one that sent nothing finds nothing
        assertThat(Api.read(app.get("/api/v1/changes?service=checkout&source=configuration").body()).size()).isZero();

        // the window starts 5 s into the incident (the diagnosis runs a little after the history ends)
        long window = Instant.now().getEpochSecond() - incident - 5;
        HttpResponse<String> response = app.postJson("/api/v1/diagnose", "{\"service\":\"checkout\",\"window\":\"" + window + "s\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = Api.read(response.body());
        String markdown = report.get("markdown").asText();
        Map<String, String> verdicts = new HashMap<>();
        Map<String, String> causes = new HashMap<>();
        report.get("findings").forEach(f -> {
            verdicts.put(f.get("rule").asText() + "/" + f.get("id").asText(), f.get("verdict").asText());
            causes.put(f.get("rule").asText() + "/" + f.get("id").asText(), f.path("cause").asText());
        });
        assertThat(verdicts).as(markdown)
                .containsEntry("memory-pressure/oom-killed", "supports")
                .containsEntry("memory-pressure/memory-near-limit", "supports")
                .containsEntry("pod-restarts/crash-loop", "rules_out") // its restarts are OOM kills: memory-pressure's
                .containsEntry("disk-pressure/volume-full", "supports")
                .containsEntry("disk-pressure/node-filesystem-full", "rules_out")
                .containsEntry("disk-pressure/node-disk-pressure", "rules_out")
                .containsEntry("cert-expiry/cert-expired", "supports")
                .containsEntry("cert-expiry/cert-expiring", "rules_out")
                .containsEntry("config-change/raised-errors", "supports");
        assertThat(report.get("partial").size()).as(markdown).isZero();

        // the decoys would show in these values: pod-level 1.3, pause 1.4, worker 1.0; worker volume 1.0; node-b 0.99
        assertThat(value(report, "usage", "after")).isBetween(0.97, 0.99);
        assertThat(value(report, "usage", "before")).isBetween(0.59, 0.61);
        assertThat(value(report, "oom_kills", "after")).isGreaterThan(0.0);
        assertThat(value(report, "oom_kills", "before")).isZero();
        assertThat(value(report, "crashloop", "after")).isGreaterThan(0.0);
        assertThat(value(report, "last_oom", "value")).isEqualTo(1.0);
        assertThat(value(report, "exit_code", "value")).isEqualTo(137.0);
        assertThat(value(report, "volume_usage", "after")).isBetween(0.98, 0.995);
        assertThat(value(report, "node_fs_usage", "after")).isBetween(0.49, 0.51);
        assertThat(value(report, "node_condition", "after")).isZero();
        assertThat(value(report, "days_left", "value")).isBetween(-0.01, 0.0);
        assertThat(causes.get("config-change/raised-errors"))
                .startsWith("A config change of checkout, not a deploy: PAYMENT_TIMEOUT_MS=200 (was PAYMENT_TIMEOUT_MS=2000");
        System.out.printf("E2E saturation, certificate and config change%n%s%n", markdown);
    }

    /** The namespace trick of the Kubernetes rules on real PromQL: exactly the alert's namespace, or any. */
    @Test
    void podSelectorTakesTheAlertsNamespaceOrAnyAndNoSiblingWorkload() throws Exception {
        String template = "count(container_memory_working_set_bytes{namespace=~\"$namespace.*\",namespace!~\"$namespace_x.+\","
                + "pod=~\"$workload(-[0-9]+|(-[bcdfghjklmnpqrstvwxz2456789]{1,10})?-[bcdfghjklmnpqrstvwxz2456789]{5})?\",container!=\"\",container!=\"POD\"})";
        assertThat(rules("memory-pressure")).contains(template.substring(template.indexOf("{") + 1, template.indexOf(",container!=\"\"")));
        var render = new ReplayMetricsSource();
        assertThat(count(render.render(template, Map.of("namespace", NS, "namespace_x", NS, "workload", "checkout")))).isEqualTo(1);
        assertThat(count(render.render(template, Map.of("namespace", "", "namespace_x", "-", "workload", "checkout")))).isEqualTo(2);
        assertThat(count(render.render(template, Map.of("namespace", "sho", "namespace_x", "sho", "workload", "checkout")))).isZero();
        assertThat(count(render.render(template, Map.of("namespace", NS, "namespace_x", NS, "workload", POD)))).isEqualTo(1);
        assertThat(count(render.render(template, Map.of("namespace", NS, "namespace_x", NS, "workload", "checkout-worker")))).isEqualTo(1);
    }

    private static String rules(String id) throws Exception {
        return Files.readString(Path.of("rules", id + ".yaml"));
    }

    private static double value(JsonNode report, String step, String value) {
        for (JsonNode e : report.get("evidence")) {
            if (step.equals(e.get("step").asText())) {
                JsonNode v = e.path("values").path(value);
                assertThat(v.isMissingNode()).as("%s.%s in %s", step, value, e).isFalse();
                return v.asDouble();
            }
        }
        throw new AssertionError("no evidence " + step);
    }

    private static double count(String query) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url() + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + now)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode value = Api.read(r.body()).at("/data/result/0/value/1");
        return value.isMissingNode() ? 0 : Double.parseDouble(value.asText());
    }
}
