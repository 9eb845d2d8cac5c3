package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Flow B of the seed, latency → the slow downstream, on real components: spans of two services that call
 * auth, payments and inventory go to a real Zipkin; an alert per service ({@link #ALERT}: only its expression says latency) goes to the real
 * Alertmanager ({@code POST /api/v2/alerts}, as Prometheus' notifier sends it), which groups it and
 * delivers the webhook to the packaged service; the service reads the traces back from Zipkin.
 * {@code orders}: payments slowed tenfold in the alert window (the flow). {@code storefront}: every
 * downstream slowed by the same 180 ms (negative control: nothing to single out, and the report says so).
 * Run under the stack lock: {@code flock /tmp/rootcause-stack.lock ./mvnw -B verify -Dit.test=FlowSlowDownstreamIT ...}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the flow first, then its control: the printed reports read in that order
class FlowSlowDownstreamIT {

    static final String ZIPKIN = "http://127.0.0.1:19411";
    static final String ALERTMANAGER = "http://127.0.0.1:19093";
    /** The alert's opaque name: only its expression can route it to the latency rules. */
    static final String ALERT = "TeamA-Page-7";
    /** The alerting rule's expression: p95 of the OpenTelemetry server histogram above 250 ms, per service. */
    static final String EXPRESSION = "histogram_quantile(0.95, sum by (le, service) (rate(http_server_request_duration_seconds_bucket[1m])))"
            + " > 0.25";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Long> BASELINE = Map.of("auth", 20L, "payments", 30L, "inventory", 25L);

    private static PackagedApp app;
    private static Stack stack;
    /** the alert's start: the baseline is the hour before it, the alert window from it to the diagnosis */
    private static Instant alertStart;
    private static List<DownstreamTraces.Request> ordersBefore;
    private static List<DownstreamTraces.Request> ordersAfter;

    @BeforeAll
    static void up() throws Exception {
        Path work = Files.createTempDirectory("rootcause-flow-b");
        // The alert started 3 minutes ago; 12 requests in the hour before it, 12 since (one every 12 s).
        alertStart = Instant.now().minus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.SECONDS);
        app = new PackagedApp(work);
        stack = new Stack(Path.of("target/stack-flow-b").toAbsolutePath(),
                "http://127.0.0.1:" + app.port() + "/api/v1/alerts/alertmanager")
                .withBlocks(latencyHistory().writeBlocks(work.resolve("backfill")));
        stack.up();
        app.start(Map.of(
                "quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + work.resolve("data/rootcause")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "rootcause.rules.dir", Path.of("rules").toAbsolutePath().toString(),
                "rootcause.sources.prometheus.url", Stack.PROMETHEUS,
                "rootcause.sources.traces.kind", "zipkin",
                "rootcause.sources.traces.url", ZIPKIN));

        Instant baselineStart = alertStart.minus(Duration.ofMinutes(58));
        Instant windowStart = alertStart.plusSeconds(5);
        ordersBefore = DownstreamTraces.window("c0ffee00", baselineStart, 12, 270, BASELINE);
        ordersAfter = DownstreamTraces.window("c0ffee01", windowStart, 12, 12, Map.of("auth", 20L, "payments", 300L, "inventory", 25L));
        postSpans(DownstreamTraces.spans("orders", ordersBefore));
        postSpans(DownstreamTraces.spans("orders", ordersAfter));
        postSpans(DownstreamTraces.spans("storefront", DownstreamTraces.window("5708e000", baselineStart, 12, 270, BASELINE)));
        postSpans(DownstreamTraces.spans("storefront", DownstreamTraces.window("5708e001", windowStart, 12, 12,
                Map.of("auth", 200L, "payments", 210L, "inventory", 205L))));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> traceCount("orders") == 24 && traceCount("storefront") == 24);

        postAlert("orders");
        postAlert("storefront");
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
    @Order(1)
    void theSlowedDownstreamIsNamedWithItsShareOfTheCriticalPath() throws Exception {
        JsonNode incident = FlowReports.awaitReport(app, "orders", DEADLINE);
        assertThat(Instant.parse(incident.at("/alerts/0/startsAt").asText())).isEqualTo(alertStart);
        // an opaque name: the expression Alertmanager passed on in the generatorURL routed it to the latency rules
        assertThat(incident.at("/alerts/0/labels/alertname").asText()).isEqualTo(ALERT);
        assertThat(incident.at("/alerts/0/generatorURL").asText()).isEqualTo(Stack.generatorUrl(EXPRESSION));
        assertThat(incident.at("/report/markdown").asText()).contains("**Read as:** symptom latency (expression: histogram_quantile"
                + " over http_server_request_duration_seconds_bucket), target service orders (label service)");
        // the walk: no dependency graph of orders here, so the trace step's slowest dependency is the one hop
        assertThat(incident.at("/rootCause/summary").asText()).as(incident.at("/report/markdown").asText())
                .startsWith("payments is the deepest component that slowed, 1 hop below orders: orders")
                .contains("(traces)");
        // metric + trace: two independent kinds of evidence
        assertThat(incident.at("/rootCause/confidence").asText()).isEqualTo("high");
        JsonNode latency = FlowReports.evidence(incident, "latency");
        assertThat(latency.get("status").asText()).as(latency.toString()).isEqualTo("ok");
        assertThat(latency.at("/values/before").asDouble()).isCloseTo(0.175, within(1e-6)); // 0.1 + 0.15 × 1.5/3
        assertThat(latency.at("/values/after").asDouble()).isBetween(0.3, 0.25 + 0.25 * 26.5 / 28 + 1e-6);
        assertThat(FlowReports.verdicts(incident)).containsEntry("slow-dependency", "supports")
                .containsEntry("no-single-dependency", "rules_out");

        JsonNode slow = FlowReports.evidence(incident, "slow");
        assertThat(slow.get("status").asText()).as(slow.toString()).isEqualTo("ok");
        JsonNode v = slow.get("values");
        assertThat(v.get("dependency").asText()).isEqualTo("payments");
        assertThat(v.get("traces_after").asLong()).isEqualTo(12);
        assertThat(v.get("traces_before").asLong()).isEqualTo(12);
        // what the critical path of the spans the test sent says, to the microsecond
        double shareAfter = DownstreamTraces.share(ordersAfter, "payments");
        double shareBefore = DownstreamTraces.share(ordersBefore, "payments");
        assertThat(v.get("share_after").asDouble()).isCloseTo(shareAfter, within(1e-6));
        assertThat(v.get("share_before").asDouble()).isCloseTo(shareBefore, within(1e-6));
        assertThat(v.get("self_ms_after").asDouble()).isCloseTo(DownstreamTraces.selfMillis(ordersAfter, "payments") / 12.0, within(1e-6));
        assertThat(v.get("self_ms_before").asDouble()).isCloseTo(DownstreamTraces.selfMillis(ordersBefore, "payments") / 12.0, within(1e-6));
        assertThat(shareAfter).isGreaterThan(0.8);
        assertThat(shareBefore).isLessThan(0.4);

        // the example trace: the longest of the alert window, a link that opens it in the real Zipkin
        String longest = ordersAfter.get(ordersAfter.size() - 1).traceId();
        assertThat(v.get("example_trace").asText()).isEqualTo(longest);
        assertThat(slow.get("link").asText()).isEqualTo(ZIPKIN + "/zipkin/traces/" + longest);
        HttpResponse<String> trace = HTTP.send(HttpRequest.newBuilder(URI.create(ZIPKIN + "/api/v2/trace/" + longest)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(trace.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(trace.body()).size()).isEqualTo(7);

        String markdown = incident.at("/report/markdown").asText();
        assertThat(incident.at("/rootCause/summary").asText()).contains(String.format(java.util.Locale.ROOT, "took %.0f%% of orders's critical path",
                100 * shareAfter)).contains(String.format(java.util.Locale.ROOT, "against %.0f%%", 100 * shareBefore))
                .contains("Example trace " + longest);
        assertThat(markdown).contains(incident.at("/rootCause/summary").asText()).contains(ZIPKIN + "/zipkin/traces/" + longest);
        JsonNode ticket = FlowReports.ticket(app, incident);
        assertThat(ticket.get("incidentId").asLong()).isEqualTo(incident.get("id").asLong());
        assertThat(ticket.get("body").asText()).contains(incident.at("/rootCause/summary").asText());
        FlowReports.print("slow-downstream", incident, ticket);
    }

    @Test
    @Order(2)
    void allDownstreamsEquallySlowBlamesNoneAndSaysSo() {
        JsonNode incident = FlowReports.awaitReport(app, "storefront", DEADLINE);
        JsonNode slow = FlowReports.evidence(incident, "slow");
        assertThat(slow.get("status").asText()).as(slow.toString()).isEqualTo("ok");
        assertThat(slow.at("/values/found").asBoolean()).isFalse();
        assertThat(slow.at("/values/summary").asText()).startsWith("no single downstream to blame")
                .contains("auth").contains("payments").contains("inventory");
        assertThat(FlowReports.verdicts(incident)).containsEntry("slow-dependency", "rules_out")
                .containsEntry("no-single-dependency", "supports");
        String summary = incident.at("/rootCause/summary").asText();
        assertThat(summary).startsWith("No single downstream explains the latency of storefront")
                .doesNotContain("slowed storefront");
        assertThat(incident.at("/rootCause/confidence").asText()).isEqualTo("low");
        FlowReports.print("slow-downstream (negative control: all downstreams equally slow)", incident,
                FlowReports.ticket(app, incident));
    }

    /**
     * The services' request latency histogram (OpenTelemetry's {@code http.server.request.duration} as exported
     * to Prometheus, with {@code _count} and {@code _sum}, so the OpenTelemetry convention is detected) from 65
     * minutes before the alert to now, a sample every 15 s at 2 requests/s: before the
     * alert 27 of 30 requests within 100 ms and 3 within 250 ms (p95 175 ms); after it, orders has 2 within
     * 250 ms and 28 within 500 ms, storefront all 30 within 1 s.
     */
    private static PromBackfill latencyHistory() {
        PromBackfill b = new PromBackfill();
        long now = Instant.now().getEpochSecond();
        long at = alertStart.getEpochSecond();
        String[] le = {"0.05", "0.1", "0.25", "0.5", "1", "+Inf"};
        Map<String, long[]> totals = Map.of("orders", new long[le.length], "storefront", new long[le.length]);
        Map<String, Double> sums = new java.util.HashMap<>();
        // off the alert start by 7 s, so no sample falls on it: every point before it is baseline only
        for (long t = at - 65 * 60 + 7; t <= now; t += 15) {
            for (var service : totals.entrySet()) {
                // requests per bucket (not cumulative) in these 15 s
                long[] per = t < at ? new long[] {0, 27, 3, 0, 0, 0}
                        : "orders".equals(service.getKey()) ? new long[] {0, 0, 2, 28, 0, 0} : new long[] {0, 0, 0, 0, 30, 0};
                long cumulative = 0;
                for (int i = 0; i < le.length; i++) {
                    cumulative += per[i];
                    service.getValue()[i] += cumulative;
                    b.sample("http_server_request_duration_seconds_bucket", Map.of("service", service.getKey(), "le", le[i]), t,
                            service.getValue()[i]);
                }
                // _count (what convention detection looks for) is the +Inf bucket; _sum at each bucket's upper bound
                long[] counts = service.getValue();
                b.sample("http_server_request_duration_seconds_count", Map.of("service", service.getKey()), t, counts[le.length - 1]);
                sums.merge(service.getKey(), 0.1 * per[1] + 0.25 * per[2] + 0.5 * per[3] + 1.0 * per[4], Double::sum);
                b.sample("http_server_request_duration_seconds_sum", Map.of("service", service.getKey()), t, sums.get(service.getKey()));
            }
        }
        return b;
    }

    /**
     * A firing alert for {@code service}, as Prometheus' notifier posts it to Alertmanager: the opaque name
     * {@link #ALERT} and a summary that names no symptom, so only the expression in the generatorURL
     * ({@code /graph?g0.expr=<url-encoded>&g0.tab=1}, Prometheus' own link format) says it is about latency.
     */
    private static void postAlert(String service) throws Exception {
        ArrayNode alerts = JSON.createArrayNode();
        ObjectNode a = alerts.addObject();
        a.putObject("labels").put("alertname", ALERT).put("service", service).put("severity", "warning");
        a.putObject("annotations").put("summary", "Team A page for " + service);
        a.put("startsAt", alertStart.toString());
        a.put("generatorURL", Stack.generatorUrl(EXPRESSION));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ALERTMANAGER + "/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alerts.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static void postSpans(ArrayNode spans) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ZIPKIN + "/api/v2/spans"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(spans.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static int traceCount(String service) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ZIPKIN + "/api/v2/traces?serviceName=" + service
                + "&endTs=" + Instant.now().toEpochMilli() + "&lookback=" + Duration.ofHours(2).toMillis() + "&limit=1000")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()).size() : -1;
    }
}
