package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rootcause.Api;
import dev.rootcause.PackagedApp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The network and dependency layers on real components: the blackbox exporter probes a local endpoint
 * whose server-side latency the test controls, the stack's Prometheus scrapes it, and the packaged service
 * diagnoses on demand with the shipped {@code network-phases} and {@code dependency-health} rules; its
 * {@code probe.http} reaches three local dependencies (healthy, slower than its timeout, 503).
 */
class NetworkProbesIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Server time added once the "incident" starts; the blackbox probe's budget is 1.5 s (2 s scrape − 0.5 s). */
    private static final long SLOW_MILLIS = 400;

    private static Path work;
    private static PackagedApp app;
    private static Stack stack;
    private static HttpServer server;
    private static ExecutorService serverThreads;
    private static final AtomicLong delayMillis = new AtomicLong();
    private static final CountDownLatch stopping = new CountDownLatch(1);

    @BeforeAll
    static void up() throws Exception {
        serverThreads = Executors.newFixedThreadPool(8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/checkout", ex -> answer(ex, delayMillis.get(), 200, "ok"));
        server.createContext("/healthy", ex -> answer(ex, 0, 200, "{\"status\":\"UP\"}"));
        server.createContext("/sluggish", ex -> answer(ex, 3000, 200, "late"));
        server.createContext("/broken", ex -> answer(ex, 0, 503, "maintenance until 23:00"));
        server.setExecutor(serverThreads);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        for (int i = 0; i < 3; i++) { // the server's first answers load classes: keep that out of the baseline
            HTTP.send(HttpRequest.newBuilder(URI.create(base + "/checkout")).build(), HttpResponse.BodyHandlers.discarding());
        }

        work = Files.createTempDirectory("rootcause-network");
        Path rules = Files.createDirectories(work.resolve("rules"));
        Files.copy(Path.of("rules/network-phases.yaml"), rules.resolve("network-phases.yaml"));
        Files.copy(Path.of("rules/dependency-health.yaml"), rules.resolve("dependency-health.yaml"));
        Files.writeString(rules.resolve("services.yaml"), """
                services:
                  checkout:
                    owner: team-payments
                    dependencies:
                      - { name: healthy,  health: "BASE/healthy",  timeout: 1000ms, retries: 0 }
                      - { name: sluggish, health: "BASE/sluggish", timeout: 500ms,  retries: 1 }
                      - { name: broken,   health: "BASE/broken",   timeout: 1000ms, retries: 1 }
                """.replace("BASE", base));

        app = new PackagedApp(work);
        stack = new Stack(Path.of("target/stack-network").toAbsolutePath(),
                "http://127.0.0.1:" + app.port() + "/api/v1/alerts/alertmanager", "", "checkout=" + base + "/checkout");
        stack.up();
        app.start(Map.of(
                "quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + work.resolve("data/rootcause")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "rootcause.rules.dir", rules.toString(),
                "rootcause.sources.prometheus.url", Stack.PROMETHEUS,
                "rootcause.rules.vars.rate_window", "15s"));
    }

    @AfterAll
    static void down() throws Exception {
        stopping.countDown();
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            try {
                if (stack != null) {
                    stack.down();
                }
            } finally {
                if (server != null) {
                    server.stop(0);
                    serverThreads.shutdownNow();
                }
            }
        }
    }

    @Test
    void slowServerProcessingIsBlamedAndDependenciesAreProbed() throws Exception {
        // a baseline: at least 8 fast probes in Prometheus
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> promValue("count_over_time(probe_http_duration_seconds{service=\"checkout\",phase=\"processing\"}[1m])") >= 8);
        assertThat(promValue("quantile_over_time(0.5, probe_http_duration_seconds{service=\"checkout\",phase=\"processing\"}[1m])"))
                .as("baseline processing time").isLessThan(0.1);
        Instant slowFrom = Instant.now();
        delayMillis.set(SLOW_MILLIS);
        // 12 s of slow probes only
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> promValue("min_over_time(probe_http_duration_seconds{service=\"checkout\",phase=\"processing\"}[12s])") > 0.3);

        // the "after" window starts 2 s after the switch, so it holds slow probes only
        long window = Duration.between(slowFrom, Instant.now()).toSeconds() - 2;
        HttpResponse<String> response = app.postJson("/api/v1/diagnose",
                "{\"service\":\"checkout\",\"window\":\"" + window + "s\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = Api.read(response.body());
        String markdown = report.get("markdown").asText();

        Map<String, String> verdicts = new HashMap<>();
        report.get("findings").forEach(f -> verdicts.put(f.get("rule").asText() + "/" + f.get("id").asText(), f.get("verdict").asText()));
        assertThat(verdicts).as(markdown).containsEntry("network-phases/server-slow", "supports")
                .containsEntry("network-phases/dns-slow", "rules_out").containsEntry("network-phases/connect-slow", "rules_out")
                .containsEntry("network-phases/tls-slow", "rules_out").containsEntry("network-phases/transfer-slow", "rules_out");
        JsonNode phases = evidence(report, "phases");
        assertThat(phases.at("/values/grew").asText()).isEqualTo("processing");
        assertThat(phases.at("/values/processing_before").asDouble()).isLessThan(0.15);
        assertThat(phases.at("/values/processing_after").asDouble()).isBetween(0.3, 1.0);
        assertThat(phases.at("/values/connect_after").asDouble()).isLessThan(0.05);

        assertThat(verdicts).containsEntry("dependency-health/dependency-down", "supports");
        JsonNode probes = evidence(report, "probes");
        assertThat(probes.get("status").asText()).isEqualTo("ok");
        JsonNode v = probes.get("values");
        assertThat(v.get("failing").asLong()).isEqualTo(2);
        assertThat(v.get("failing_names").asText()).isEqualTo("sluggish,broken");
        assertThat(v.get("healthy.outcome").asText()).isEqualTo("healthy");
        assertThat(v.get("healthy.code").asLong()).isEqualTo(200);
        assertThat(v.get("sluggish.outcome").asText()).isEqualTo("timeout");
        assertThat(v.get("sluggish.attempts").asLong()).isEqualTo(2);
        assertThat(v.get("sluggish.error").asText()).isEqualTo("no answer within 500ms");
        assertThat(v.get("broken.code").asLong()).isEqualTo(503);
        assertThat(v.get("broken.attempts").asLong()).isEqualTo(2);
        assertThat(v.get("broken.error").asText()).isEqualTo("HTTP 503: maintenance until 23:00");
        assertThat(markdown).contains("sluggish,broken");
        System.out.printf("E2E network phases + probes (window %ds)%n%s%n", window, markdown);
    }

    private static JsonNode evidence(JsonNode report, String step) {
        for (JsonNode e : report.get("evidence")) {
            if (step.equals(e.get("step").asText())) {
                return e;
            }
        }
        throw new AssertionError("no evidence " + step + " in " + report.get("markdown").asText());
    }

    /** The first value of an instant query, NaN when there is none. */
    private static double promValue(String query) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(Stack.PROMETHEUS + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode value = Api.read(r.body()).at("/data/result/0/value/1");
        return value.isMissingNode() ? Double.NaN : Double.parseDouble(value.asText());
    }

    /** Answers after a server-side delay (the blackbox exporter's "processing" phase). */
    private static void answer(HttpExchange ex, long delay, int status, String body) throws IOException {
        try (ex) {
            if (delay > 0) {
                // the endpoint's own latency, not test timing: released early when the test ends
                stopping.await(delay, TimeUnit.MILLISECONDS);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
