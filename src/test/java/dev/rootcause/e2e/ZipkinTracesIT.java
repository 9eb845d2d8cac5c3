package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.PackagedApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Zipkin 3.5.1 (scripts/stack.sh up zipkin) holding the spans of two services that call auth,
 * payments and inventory (the fixtures of scripts/make-trace-fixtures.py, moved to now): for
 * {@code checkout} payments slowed in the last 30 minutes; for {@code storefront} every downstream slowed
 * alike. The packaged service, asked {@code /api/v1/diagnose}, must blame payments for the first and no
 * single downstream for the second. Run under the stack lock: {@code flock /tmp/rootcause-stack.lock ...}.
 */
class ZipkinTracesIT {

    static final String ZIPKIN = "http://127.0.0.1:19411";
    static final Instant FIXTURE_ALERT = Instant.parse("2026-11-29T10:00:00Z");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PackagedApp app;
    private static Stack stack;

    @BeforeAll
    static void up() throws Exception {
        Path work = Files.createTempDirectory("rootcause-zipkin");
        app = new PackagedApp(work);
        stack = new Stack(Path.of("target/stack-zipkin").toAbsolutePath(), "http://127.0.0.1:9/unused");
        stack.up("zipkin");
        // the alert window of /diagnose (window 30m) starts 30 minutes before it runs; shifted 30 s later so
        // a diagnosis that starts up to 30 s after this still sees every trace in the window it expects
        long shiftMicros = ChronoUnit.MICROS.between(FIXTURE_ALERT, Instant.now().minus(Duration.ofMinutes(30)).plusSeconds(30));
        post(spans("traces-baseline.json", shiftMicros, "checkout", "0"));
        post(spans("traces-slow-payments.json", shiftMicros, "checkout", "0"));
        post(spans("traces-baseline.json", shiftMicros, "storefront", "f"));
        post(spans("traces-all-slow.json", shiftMicros, "storefront", "f"));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("checkout") == 24 && count("storefront") == 24);
        app.start(Map.of(
                "quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + work.resolve("data/rootcause")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "rootcause.rules.dir", Path.of("rules").toAbsolutePath().toString(),
                "rootcause.sources.prometheus.url", "http://127.0.0.1:9", // no Prometheus: trace evidence alone
                "rootcause.sources.traces.kind", "zipkin",
                "rootcause.sources.traces.url", ZIPKIN,
                "rootcause.sources.traces.ui-url", "https://zipkin.example"));
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            if (stack != null) {
                stack.down();
            }
        }
    }

    @Test
    void theSlowedDownstreamIsNamedFromRealZipkinTraces() throws Exception {
        JsonNode d = diagnose("checkout");
        JsonNode slow = step(d, "slow");
        assertThat(slow.path("status").asText()).as(slow.toString()).isEqualTo("ok");
        assertThat(slow.at("/values/found").asBoolean()).isTrue();
        assertThat(slow.at("/values/dependency").asText()).isEqualTo("payments");
        assertThat(slow.at("/values/share_after").asDouble()).isGreaterThan(0.85);
        assertThat(slow.at("/values/traces_after").asLong()).isEqualTo(12);
        assertThat(slow.path("link").asText()).startsWith("https://zipkin.example/zipkin/traces/");
        assertThat(d.at("/rootCause/finding").asText()).isEqualTo("slow-dependency");
        assertThat(d.at("/rootCause/summary").asText()).startsWith("payments is the deepest component that slowed, 1 hop below checkout");
        assertThat(d.path("markdown").asText()).contains("payments");
    }

    @Test
    void allDownstreamsEquallySlowIsNoSingleBlame() throws Exception {
        JsonNode d = diagnose("storefront");
        JsonNode slow = step(d, "slow");
        assertThat(slow.path("status").asText()).as(slow.toString()).isEqualTo("ok");
        assertThat(slow.at("/values/found").asBoolean()).isFalse();
        assertThat(slow.at("/values/summary").asText()).startsWith("no single downstream to blame");
        assertThat(d.at("/rootCause/finding").asText()).isEqualTo("no-single-dependency");
        assertThat(d.at("/rootCause/summary").asText()).startsWith("No single downstream explains the latency of storefront");
    }

    @Test
    void theDependencyGraphReadsZipkinsLinksFromTheRealTraces() throws Exception {
        // in-memory storage derives the links from the spans it holds: no sampled-traces fallback needed
        JsonNode[] graph = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            graph[0] = JSON.readTree(app.get("/api/v1/graph").body());
            return !graph[0].path("builtAt").isNull() && graph[0].has("builtAt");
        });
        List<String> edges = new java.util.ArrayList<>();
        graph[0].path("edges").forEach(e -> edges.add(e.path("caller").asText() + "->" + e.path("callee").asText() + " " + e.path("origins")));
        assertThat(edges).as(graph[0].toString()).contains("checkout->payments [\"zipkin\"]", "storefront->payments [\"zipkin\"]");
        assertThat(graph[0].at("/sources/zipkin").asText()).as(graph[0].toString()).endsWith(" edges");
        // no Prometheus in this stack: its sources are recorded as failed, the graph is built all the same
        assertThat(graph[0].at("/sources/tempo service graph").asText()).startsWith("error: ");
    }

    private static JsonNode diagnose(String service) throws Exception {
        HttpResponse<String> r = app.post("/api/v1/diagnose", "{\"service\":\"" + service + "\",\"window\":\"30m\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode step(JsonNode diagnosis, String id) {
        for (JsonNode e : diagnosis.path("evidence")) {
            if (id.equals(e.path("step").asText())) {
                return e;
            }
        }
        throw new AssertionError("no evidence of step " + id + " in " + diagnosis);
    }

    /** The fixture's spans moved by {@code shiftMicros}, the root service renamed, trace ids prefixed apart. */
    private static ArrayNode spans(String file, long shiftMicros, String service, String idPrefix) throws Exception {
        JsonNode traces = JSON.readTree(Path.of("src/test/resources/wiremock/zipkin", file).toFile());
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode trace : traces) {
            for (JsonNode span : trace) {
                ObjectNode s = span.deepCopy();
                s.put("timestamp", s.get("timestamp").asLong() + shiftMicros);
                s.put("traceId", idPrefix + s.get("traceId").asText().substring(1));
                if ("checkout".equals(s.at("/localEndpoint/serviceName").asText())) {
                    ((ObjectNode) s.get("localEndpoint")).put("serviceName", service);
                }
                out.add(s);
            }
        }
        return out;
    }

    private static void post(ArrayNode spans) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ZIPKIN + "/api/v2/spans"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(spans.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static int count(String service) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ZIPKIN + "/api/v2/traces?serviceName=" + service
                + "&endTs=" + Instant.now().toEpochMilli() + "&lookback=" + Duration.ofHours(3).toMillis() + "&limit=1000")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()).size() : -1;
    }
}
