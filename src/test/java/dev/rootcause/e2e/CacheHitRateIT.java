package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.rootcause.Api;
import dev.rootcause.PackagedApp;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

/**
 * The cache flow (the seed's flow C) on real components: Redis with client traffic, redis_exporter,
 * Prometheus evaluating the alert rule, Alertmanager delivering the webhook to the packaged service. Three
 * caches at once: cache-a is penetrated (misses for keys that never existed), cache-b only hits (negative
 * control), cache-c suffers a mass expiry (negative control for penetration). No fixture stands in for
 * Prometheus or Alertmanager. Loki is not packaged here: a WireMock Loki ({@link LokiLines}) serves the
 * clients' "cache miss" log lines, which the test writes for exactly the GETs that really missed.
 * Run under the stack lock: {@code flock /tmp/rootcause-stack.lock ./mvnw -B verify -Dit.test=CacheHitRateIT ...}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the flow first, then its control: the printed reports read in that order
class CacheHitRateIT {

    private static final Duration WARM = Duration.ofSeconds(20);
    private static final Duration DEADLINE = Duration.ofSeconds(150);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path work;
    private static PackagedApp app;
    private static Stack stack;
    private static final List<CacheTraffic> traffic = new ArrayList<>();
    private static final LokiLines loki = new LokiLines();
    private static final Set<String> missedA = ConcurrentHashMap.newKeySet();
    private static WireMockServer lokiServer;

    @BeforeAll
    static void up() throws Exception {
        lokiServer = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1").extensions(loki));
        lokiServer.start();
        lokiServer.stubFor(WireMock.get(WireMock.urlPathEqualTo("/loki/api/v1/query_range"))
                .willReturn(WireMock.aResponse().withTransformers(LokiLines.NAME)));
        work = Files.createTempDirectory("rootcause-e2e");
        app = new PackagedApp(work);
        stack = new Stack(Path.of("target/stack-e2e").toAbsolutePath(),
                "http://127.0.0.1:" + app.port() + "/api/v1/alerts/alertmanager");
        stack.up();
        app.start(Map.of(
                "quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + work.resolve("data/rootcause")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "rootcause.rules.dir", Path.of("rules").toAbsolutePath().toString(),
                "rootcause.sources.prometheus.url", Stack.PROMETHEUS,
                // the stack scrapes every second; the alert rule itself uses rate(...[15s])
                "rootcause.rules.vars.rate_window", "15s",
                // the caches read directly (cache.hit_ratio), as an operator configures them
                "rootcause.sources.redis.instances.cache-a.url", "redis://127.0.0.1:16379",
                "rootcause.sources.redis.instances.cache-b.url", "redis://127.0.0.1:16380",
                "rootcause.sources.redis.instances.cache-c.url", "redis://127.0.0.1:16381",
                "rootcause.sources.logs.kind", "loki",
                "rootcause.sources.logs.url", lokiServer.baseUrl()));
        // the clients log each miss (logfmt), shipped with the stream label cache=<name>
        traffic.add(new CacheTraffic(16379, CacheTraffic.Scenario.PENETRATION, WARM).onMiss(key -> {
            missedA.add(key);
            loki.add(Instant.now(), Map.of("cache", "cache-a", "app", "catalog-api"),
                    "level=warn msg=\"cache miss for key " + key + "\" client=bulk-importer");
        }).start());
        traffic.add(new CacheTraffic(16380, CacheTraffic.Scenario.HITS_ONLY, WARM).start());
        traffic.add(new CacheTraffic(16381, CacheTraffic.Scenario.MASS_EXPIRY, WARM).onMiss(key ->
                loki.add(Instant.now(), Map.of("cache", "cache-c", "app", "storefront"),
                        "level=warn msg=\"cache miss for key " + key + "\" client=web")).start());
    }

    @AfterAll
    static void down() throws Exception {
        try {
            traffic.forEach(CacheTraffic::close);
            if (app != null) {
                app.close();
            }
            if (lokiServer != null) {
                lokiServer.stop();
            }
        } finally {
            if (stack != null) {
                stack.down();
            }
        }
    }

    @Test
    @Order(1)
    void penetrationIsDiagnosedFromRealPrometheusNumbers() throws Exception {
        JsonNode incident = awaitReport("cache-a");
        JsonNode rootCause = incident.get("rootCause");
        assertThat(rootCause.isNull()).as("root cause of %s", incident.at("/report/markdown").asText()).isFalse();

        // The miss-key log pattern, read from the (WireMock) Loki: the keys the client really asked for and missed.
        String markdown = incident.at("/report/markdown").asText();
        // the stack's alert rule has an opaque name (Catalog-Page-3): Prometheus' generatorURL carries its expression,
        // the recording rule cache:hit_ratio:rate15s, and that alone routed it to the cache rule
        assertThat(incident.at("/alerts/0/labels/alertname").asText()).isEqualTo(FlowAlertsReadTest.stackAlertRule().get("alert").asText());
        assertThat(incident.at("/alerts/0/generatorURL").asText()).contains(":19090/graph?g0.expr=cache%3Ahit_ratio%3Arate15s");
        assertThat(markdown).contains("**Read as:** symptom cache (expression: ").contains("target service cache-a (label service)");
        JsonNode missKeys = evidence(incident, "miss_keys");
        assertThat(missKeys.get("status").asText()).as(markdown).isEqualTo("ok");
        assertThat(missKeys.get("query").asText()).isEqualTo("{cache=\"cache-a\"} |~ \"(?i)cache miss|miss for key\"");
        assertThat(missKeys.at("/values/top_pattern").asText()).contains("cache miss for key missing:");
        assertThat(missKeys.at("/values/top_by").asText()).isEqualTo("bulk-importer");
        assertThat(missKeys.at("/values/top_share").asDouble()).isGreaterThan(0.9);
        // requests for keys that do not exist: misses for keys never cached, no expiry or eviction behind them
        assertThat(rootCause.get("summary").asText()).contains("requests for keys that do not exist").contains("cache penetration");
        assertThat(rootCause.get("confidence").asText()).as(markdown).isEqualTo("high"); // metrics + the miss-key logs
        assertThat(verdicts(incident)).containsEntry("cache-penetration", "supports").containsEntry("miss-key-pattern", "supports")
                .containsEntry("mass-expiry", "rules_out").containsEntry("eviction-pressure", "rules_out");
        Matcher example = Pattern.compile("missing:\\d+").matcher(missKeys.at("/values/top_example").asText());
        assertThat(example.find()).as(missKeys.toString()).isTrue();
        assertThat(missedA).as("the example is a key the client asked for and missed").contains(example.group());
        try (Jedis redis = new Jedis("127.0.0.1", 16379)) {
            assertThat(redis.exists(example.group())).as("the example key does not exist in cache-a").isFalse();
        }
        lokiServer.verify(WireMock.getRequestedFor(WireMock.urlPathEqualTo("/loki/api/v1/query_range"))
                .withQueryParam("query", WireMock.equalTo("{cache=\"cache-a\"} |~ \"(?i)cache miss|miss for key\""))
                .withQueryParam("direction", WireMock.equalTo("backward")));

        Instant alertStart = Instant.parse(incident.at("/alerts/0/startsAt").asText());
        JsonNode hitRatio = evidence(incident, "hit_ratio");
        assertThat(hitRatio.get("status").asText()).isEqualTo("ok");
        double[] direct = beforeAfterFromPrometheus(hitRatio, alertStart);
        assertThat(hitRatio.at("/values/before").asDouble()).isCloseTo(direct[0], within(1e-9));
        assertThat(hitRatio.at("/values/after").asDouble()).isCloseTo(direct[1], within(1e-9));
        assertThat(direct[1]).as("the ratio collapsed in Prometheus' own numbers").isLessThan(0.5 * direct[0]);

        // The cache's own INFO, read by the service twice 2 s apart, sees the penetration too: ~1 hit in 20.
        JsonNode redis = evidence(incident, "redis");
        assertThat(redis.get("status").asText()).as(redis.toString()).isEqualTo("ok");
        assertThat(redis.get("query").asText()).isEqualTo("INFO redis://127.0.0.1:16379/0");
        assertThat(redis.at("/values/hit_ratio").asDouble()).isLessThan(0.2);
        assertThat(redis.at("/values/misses_per_second").asDouble()).isGreaterThan(50);

        assertThat(markdown).contains(hitRatio.get("query").asText()).contains(Stack.PROMETHEUS + "/graph?g0.expr=")
                .contains(missKeys.get("query").asText()).contains("are one key pattern");
        // the ticket exists in the service's own tracker, with the incident's title and report
        assertThat(incident.at("/ticket/key").asText()).startsWith("RC-");
        JsonNode ticket = FlowReports.ticket(app, incident);
        assertThat(ticket.get("incidentId").asLong()).isEqualTo(incident.get("id").asLong());
        assertThat(ticket.get("title").asText()).isEqualTo(incident.get("title").asText());
        assertThat(ticket.get("status").asText()).isEqualTo("open");
        assertThat(ticket.get("body").asText()).contains(rootCause.get("summary").asText()).contains("cache miss for key missing:");
        FlowReports.print("cache-penetration", incident, ticket);
        FlowReports.record(app, incident, "cache-hit-rate-cache-a");
    }

    @Test
    @Order(2)
    void massExpiryIsBlamedNotPenetration() {
        JsonNode incident = awaitReport("cache-c");
        assertThat(verdicts(incident)).containsEntry("mass-expiry", "supports").containsEntry("cache-penetration", "rules_out")
                // after a mass expiry the top miss pattern is just the hottest real keys: no client is named
                .containsEntry("miss-key-pattern", "rules_out");
        assertThat(incident.at("/rootCause/summary").asText()).contains("expir").doesNotContain("penetration");
        JsonNode redis = evidence(incident, "redis");
        assertThat(redis.get("status").asText()).as(redis.toString()).isEqualTo("ok");
        assertThat(redis.at("/values/expirations_per_second").asDouble()).isPositive();
        // the report rules penetration out in so many words
        assertThat(incident.at("/report/markdown").asText()).contains("| rules_out | cache-hit-rate/cache-penetration |");
        FlowReports.print("cache-penetration (negative control: mass expiry)", incident, FlowReports.ticket(app, incident));
        FlowReports.record(app, incident, "cache-hit-rate-cache-c");
    }

    @Test
    void hitsOnlyGivesNoPenetrationCause() {
        await().atMost(DEADLINE).until(() -> traffic.get(1).switched());
        HttpResponse<String> response = app.postJson("/api/v1/diagnose", "{\"service\":\"cache-b\",\"window\":\"10s\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode report = Api.read(response.body());
        assertThat(report.get("rootCause").isNull()).as(report.get("markdown").asText()).isTrue();
        for (JsonNode f : report.get("findings")) {
            // the application, network and dependency rules run on demand too: the stack exports no Micrometer
            // metrics, no probes of cache-b, and cache-b is not in the service catalogue; the change store knows
            // that no change event ever reached it for cache-b, so the deploy and config-change rules did not check (no
            // data, never "ruled out"); a near certificate expiry explains only an alert about the certificate, which
            // "OnDemand" is not
            String rule = f.get("rule").asText();
            String want = "cache-hit-rate".equals(rule) || "cert-expiring".equals(f.get("id").asText()) ? "rules_out" : "no_data";
            assertThat(f.get("verdict").asText()).as(f.get("rule").asText() + "/" + f.get("id").asText()).isEqualTo(want);
        }
        assertThat(findIncident("cache-b")).isEmpty();
    }

    private static JsonNode awaitReport(String service) {
        return FlowReports.awaitReport(app, service, DEADLINE);
    }

    private static Optional<Long> findIncident(String service) {
        return FlowReports.findIncident(app, service);
    }

    private static Map<String, String> verdicts(JsonNode incident) {
        return FlowReports.verdicts(incident);
    }

    private static JsonNode evidence(JsonNode incident, String step) {
        return FlowReports.evidence(incident, step);
    }

    /** The test's own query_range with the evidence's query, window and step; means split at the alert start. */
    private static double[] beforeAfterFromPrometheus(JsonNode evidence, Instant at) throws Exception {
        String form = "query=" + URLEncoder.encode(evidence.get("query").asText(), StandardCharsets.UTF_8)
                + "&start=" + seconds(Instant.parse(evidence.get("windowStart").asText()))
                + "&end=" + seconds(Instant.parse(evidence.get("windowEnd").asText()))
                + "&step=" + evidence.at("/values/step_seconds").asDouble();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(Stack.PROMETHEUS + "/api/v1/query_range"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        double sumB = 0, sumA = 0;
        int nB = 0, nA = 0;
        for (JsonNode point : Api.read(r.body()).at("/data/result/0/values")) {
            double v = Double.parseDouble(point.get(1).asText());
            if (Double.isNaN(v)) {
                continue;
            }
            Instant t = Instant.ofEpochMilli(Math.round(point.get(0).asDouble() * 1000));
            if (t.isBefore(at)) {
                sumB += v;
                nB++;
            } else {
                sumA += v;
                nA++;
            }
        }
        return new double[] {sumB / nB, sumA / nA};
    }

    private static String seconds(Instant t) {
        return t.getEpochSecond() + "." + String.format("%03d", t.getNano() / 1_000_000);
    }
}
