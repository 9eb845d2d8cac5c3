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
 * Flow B of the seed, latency → the slow downstream, on real components, several hops deep: spans of requests
 * through trees of services go to a real Zipkin (in-memory storage: its {@code /api/v2/dependencies} derives the
 * dependency graph from them), each service's server latency histogram is backfilled into the real Prometheus, and
 * an alert per service ({@link #ALERT}: only its expression says latency) goes to the real Alertmanager
 * ({@code POST /api/v2/alerts}, as Prometheus' notifier sends it), which groups it and delivers the webhook to the
 * packaged service. The service builds its dependency graph from Zipkin at start (no catalogue, nothing
 * hard-coded), walks it with one Prometheus query per level and reads the traces back from Zipkin.
 * <ul>
 * <li>{@code orders} → auth, payments → payments-db, inventory: only payments-db slowed (the flow); payments looks
 * slow too, as it waits on it. The report names payments-db, 2 hops down, with the chain.</li>
 * <li>{@code storefront} → sessions, recommendations, reviews, all slowed by the same 180 ms in the traces and
 * measured by nothing else (negative control: nothing to single out, and the report says so).</li>
 * <li>{@code shop} → shipping, basket → stock, billing → ledger-db: a 3-hop chain, the cause at the bottom (not {@code checkout}: the shipped services.yaml probes its dependencies).</li>
 * <li>{@code catalog} → media, search → index: search slowed at the alert, index 3 minutes later (a consequence that
 * looks like a cause: deeper, and slow too); the report blames search.</li>
 * </ul>
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
    /** How long after the alert's start index (under search) slows: past the walk's 2-minute onset tolerance. */
    private static final Duration INDEX_LATER = Duration.ofMinutes(3);

    private static PackagedApp app;
    private static Stack stack;
    /** the alert's start: the baseline is the hour before it, the alert window from it to the diagnosis */
    private static Instant alertStart;
    private static List<DownstreamTraces.Request> ordersBefore;
    private static List<DownstreamTraces.Request> ordersAfter;
    /** per alerting service, what its walk evidence said (queries, wall ms), for the summary the last test prints */
    private static final Map<String, JsonNode> WALKS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void up() throws Exception {
        Path work = Files.createTempDirectory("rootcause-flow-b");
        // The alert started 6 minutes ago; 12 requests in the hour before it, 12 after it (one every 12 s).
        alertStart = Instant.now().minus(Duration.ofMinutes(6)).truncatedTo(ChronoUnit.SECONDS);
        app = new PackagedApp(work);
        stack = new Stack(Path.of("target/stack-flow-b").toAbsolutePath(),
                "http://127.0.0.1:" + app.port() + "/api/v1/alerts/alertmanager")
                .withBlocks(latencyHistory().writeBlocks(work.resolve("backfill")));
        stack.up();

        // the traces exist before the service starts: its first dependency graph is built from Zipkin's links
        Instant baselineStart = alertStart.minus(Duration.ofMinutes(58));
        Instant windowStart = alertStart.plusSeconds(5);
        ordersBefore = DownstreamTraces.window("c0ffee00", baselineStart, 12, 270, orders(20, 5, 8, 25));
        ordersAfter = DownstreamTraces.window("c0ffee01", windowStart, 12, 12, orders(20, 5, 270, 25));
        postSpans(DownstreamTraces.spans(ordersBefore));
        postSpans(DownstreamTraces.spans(ordersAfter));
        postSpans(DownstreamTraces.spans(DownstreamTraces.window("5708e000", baselineStart, 12, 270, storefront(20, 30, 25))));
        postSpans(DownstreamTraces.spans(DownstreamTraces.window("5708e001", windowStart, 12, 12, storefront(200, 210, 205))));
        postSpans(DownstreamTraces.spans(DownstreamTraces.window("5b0b0000", baselineStart, 12, 270, shop(6))));
        postSpans(DownstreamTraces.spans(DownstreamTraces.window("5b0b0001", windowStart, 12, 12, shop(240))));
        // the trace window ends before index slows: the traces see search alone slower
        postSpans(DownstreamTraces.spans(DownstreamTraces.window("ca7a0000", baselineStart, 12, 270, catalog(30))));
        postSpans(DownstreamTraces.spans(DownstreamTraces.window("ca7a0001", windowStart, 12, 12, catalog(260))));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> traceCount("orders") == 24 && traceCount("storefront") == 24 && traceCount("shop") == 24
                        && traceCount("catalog") == 24);

        app.start(Map.of(
                "quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + work.resolve("data/rootcause")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "rootcause.rules.dir", Path.of("rules").toAbsolutePath().toString(),
                "rootcause.sources.prometheus.url", Stack.PROMETHEUS,
                "rootcause.sources.traces.kind", "zipkin",
                "rootcause.sources.traces.url", ZIPKIN));
        // the graph the walk uses: built at start from Zipkin's dependency links (GET /api/v1/graph shows it)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> edges().containsAll(List.of(
                "orders>payments zipkin", "payments>payments-db zipkin", "shop>basket zipkin", "basket>billing zipkin",
                "billing>ledger-db zipkin", "catalog>search zipkin", "search>index zipkin")));

        for (String service : List.of("orders", "storefront", "shop", "catalog")) {
            postAlert(service);
        }
    }

    /** orders → auth, payments → payments-db, inventory; each leaf's (and payments' own) time in ms. */
    private static DownstreamTraces.Call orders(long auth, long payments, long paymentsDb, long inventory) {
        return DownstreamTraces.calling("orders", DownstreamTraces.Call.leaf("auth", auth),
                new DownstreamTraces.Call("payments", payments, List.of(DownstreamTraces.Call.leaf("payments-db", paymentsDb))),
                DownstreamTraces.Call.leaf("inventory", inventory));
    }

    private static DownstreamTraces.Call storefront(long sessions, long recommendations, long reviews) {
        return DownstreamTraces.calling("storefront", DownstreamTraces.Call.leaf("sessions", sessions),
                DownstreamTraces.Call.leaf("recommendations", recommendations), DownstreamTraces.Call.leaf("reviews", reviews));
    }

    /** shop → shipping, basket → (stock, billing → ledger-db). */
    private static DownstreamTraces.Call shop(long ledgerDb) {
        return DownstreamTraces.calling("shop", DownstreamTraces.Call.leaf("shipping", 15),
                new DownstreamTraces.Call("basket", 7, List.of(DownstreamTraces.Call.leaf("stock", 10),
                        new DownstreamTraces.Call("billing", 4, List.of(DownstreamTraces.Call.leaf("ledger-db", ledgerDb))))));
    }

    /** catalog → media, search → index. */
    private static DownstreamTraces.Call catalog(long search) {
        return DownstreamTraces.calling("catalog", DownstreamTraces.Call.leaf("media", 12),
                new DownstreamTraces.Call("search", search, List.of(DownstreamTraces.Call.leaf("index", 8))));
    }

    /** The graph's edges as {@code caller>callee origin,origin}. */
    private static List<String> edges() {
        HttpResponse<String> r = app.get("/api/v1/graph");
        List<String> out = new java.util.ArrayList<>();
        if (r.statusCode() == 200) {
            dev.rootcause.Api.read(r.body()).get("edges").forEach(e -> {
                List<String> origins = new java.util.ArrayList<>();
                e.get("origins").forEach(o -> origins.add(o.asText()));
                out.add(e.get("caller").asText() + ">" + e.get("callee").asText() + " " + String.join(",", origins));
            });
        }
        return out;
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
    void theSlowDependencyOfADependencyIsNamedWithTheChain() throws Exception {
        JsonNode incident = FlowReports.awaitReport(app, "orders", DEADLINE);
        String markdown = incident.at("/report/markdown").asText();
        assertThat(Instant.parse(incident.at("/alerts/0/startsAt").asText())).isEqualTo(alertStart);
        // an opaque name: the expression Alertmanager passed on in the generatorURL routed it to the latency rules
        assertThat(incident.at("/alerts/0/labels/alertname").asText()).isEqualTo(ALERT);
        assertThat(incident.at("/alerts/0/generatorURL").asText()).isEqualTo(Stack.generatorUrl(EXPRESSION));
        assertThat(markdown).contains("**Read as:** symptom latency (expression: histogram_quantile"
                + " over http_server_request_duration_seconds_bucket), target service orders (label service)");
        // the walk, over the graph Zipkin's dependency links gave: payments slowed, and below it payments-db, whose
        // own downstreams are none; the trace step's critical path names payments-db too: two kinds agree
        String summary = incident.at("/rootCause/summary").asText();
        assertThat(summary).as(markdown).matches("(?s)payments-db is the deepest component that slowed, 2 hops below orders: "
                + "orders p99 [0-9.]+→[0-9.]+ s → payments [0-9.]+→[0-9.]+ s → payments-db [0-9.]+→[0-9.]+ ms \\(traces \\+ metrics\\); "
                + "its own downstreams are normal\\. Checked and normal: auth [0-9.]+→[0-9.]+ s, inventory [0-9.]+→[0-9.]+ s\\. .*");
        assertThat(incident.at("/rootCause/confidence").asText()).isEqualTo("high");
        JsonNode walk = walk(incident, "orders");
        assertThat(walk.at("/values/blamed").asText()).isEqualTo("payments-db");
        assertThat(walk.at("/values/depth").asLong()).isEqualTo(2);
        assertThat(walk.at("/values/agreeing_kinds").asText()).isEqualTo("metric,trace");
        // p99 from the backfilled histograms: payments-db 9.95 ms before (all in 5-10 ms), 497.5 ms once all in 250-500 ms
        assertThat(walk.at("/values/blamed_before").asDouble()).isCloseTo(0.00995, within(1e-4));
        assertThat(walk.at("/values/blamed_after").asDouble()).isBetween(0.1, 0.4975 + 1e-6);
        JsonNode latency = FlowReports.evidence(incident, "latency");
        assertThat(latency.get("status").asText()).as(latency.toString()).isEqualTo("ok");
        assertThat(latency.at("/values/before").asDouble()).isCloseTo(0.175, within(1e-6)); // 0.1 + 0.15 × 1.5/3
        assertThat(latency.at("/values/after").asDouble()).isBetween(0.3, 0.25 + 0.25 * 26.5 / 28 + 1e-6);
        assertThat(FlowReports.verdicts(incident)).containsEntry("slow-dependency", "supports")
                .containsEntry("no-single-dependency", "rules_out");

        JsonNode slow = FlowReports.evidence(incident, "slow");
        assertThat(slow.get("status").asText()).as(slow.toString()).isEqualTo("ok");
        JsonNode v = slow.get("values");
        assertThat(v.get("dependency").asText()).isEqualTo("payments-db");
        assertThat(v.get("traces_after").asLong()).isEqualTo(12);
        assertThat(v.get("traces_before").asLong()).isEqualTo(12);
        // what the critical path of the spans the test sent says, to the microsecond: payments-db's own time, not payments'
        double shareAfter = DownstreamTraces.share(ordersAfter, "payments-db");
        double shareBefore = DownstreamTraces.share(ordersBefore, "payments-db");
        assertThat(v.get("share_after").asDouble()).isCloseTo(shareAfter, within(1e-6));
        assertThat(v.get("share_before").asDouble()).isCloseTo(shareBefore, within(1e-6));
        assertThat(v.get("self_ms_after").asDouble()).isCloseTo(DownstreamTraces.selfMillis(ordersAfter, "payments-db") / 12.0, within(1e-6));
        assertThat(v.get("self_ms_before").asDouble()).isCloseTo(DownstreamTraces.selfMillis(ordersBefore, "payments-db") / 12.0,
                within(1e-6));
        assertThat(shareAfter).isGreaterThan(0.75); // payments-db took over the path: 270 of 345 ms
        assertThat(shareBefore).isLessThan(0.2);

        // the example trace: the longest of the alert window, a link that opens it in the real Zipkin
        String longest = ordersAfter.get(ordersAfter.size() - 1).traceId();
        assertThat(v.get("example_trace").asText()).isEqualTo(longest);
        assertThat(slow.get("link").asText()).isEqualTo(ZIPKIN + "/zipkin/traces/" + longest);
        HttpResponse<String> trace = HTTP.send(HttpRequest.newBuilder(URI.create(ZIPKIN + "/api/v2/trace/" + longest)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(trace.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(trace.body()).size()).isEqualTo(ordersAfter.get(0).root().spans()).isEqualTo(9);

        assertThat(summary).contains(String.format(java.util.Locale.ROOT, "took %.0f%% of orders's critical path",
                100 * shareAfter)).contains(String.format(java.util.Locale.ROOT, "against %.0f%%", 100 * shareBefore))
                .contains("Example trace " + longest);
        assertThat(markdown).contains(summary).contains(ZIPKIN + "/zipkin/traces/" + longest);
        JsonNode ticket = FlowReports.ticket(app, incident);
        assertThat(ticket.get("incidentId").asLong()).isEqualTo(incident.get("id").asLong());
        assertThat(ticket.get("body").asText()).contains(summary);
        FlowReports.print("slow-downstream", incident, ticket);
        FlowReports.record(app, incident, "slow-downstream-orders");
    }

    @Test
    @Order(2)
    void allDownstreamsEquallySlowBlamesNoneAndSaysSo() {
        JsonNode incident = FlowReports.awaitReport(app, "storefront", DEADLINE);
        JsonNode slow = FlowReports.evidence(incident, "slow");
        assertThat(slow.get("status").asText()).as(slow.toString()).isEqualTo("ok");
        assertThat(slow.at("/values/found").asBoolean()).isFalse();
        assertThat(slow.at("/values/summary").asText()).startsWith("no single downstream to blame")
                .contains("sessions").contains("recommendations").contains("reviews");
        assertThat(FlowReports.verdicts(incident)).containsEntry("slow-dependency", "rules_out")
                .containsEntry("no-single-dependency", "supports");
        String summary = incident.at("/rootCause/summary").asText();
        assertThat(summary).startsWith("No single downstream explains the latency of storefront")
                .doesNotContain("slowed storefront");
        assertThat(incident.at("/rootCause/confidence").asText()).isEqualTo("low");
        walk(incident, "storefront");
        FlowReports.print("slow-downstream (negative control: all downstreams equally slow)", incident,
                FlowReports.ticket(app, incident));
        FlowReports.record(app, incident, "slow-downstream-storefront");
    }

    @Test
    @Order(3)
    void threeHopsDownTheCauseAtTheBottomIsNamed() {
        JsonNode incident = FlowReports.awaitReport(app, "shop", DEADLINE);
        String summary = incident.at("/rootCause/summary").asText();
        assertThat(summary).as(incident.at("/report/markdown").asText()).matches("(?s)ledger-db is the deepest component that slowed, "
                + "3 hops below shop: shop p99 [0-9.]+→[0-9.]+ s → basket [0-9.]+→[0-9.]+ s → billing [0-9.]+→[0-9.]+ s → "
                + "ledger-db [0-9.]+→[0-9.]+ ms \\(traces \\+ metrics\\); its own downstreams are normal\\. .*");
        // the side branches were measured in the same level queries and found normal
        assertThat(summary).containsPattern("Checked and normal: shipping [0-9.]+→[0-9.]+ s, stock [0-9.]+→[0-9.]+ ms\\.");
        assertThat(incident.at("/rootCause/confidence").asText()).isEqualTo("high");
        JsonNode walk = walk(incident, "shop");
        assertThat(walk.at("/values/depth").asLong()).isEqualTo(3);
        assertThat(FlowReports.evidence(incident, "slow").at("/values/dependency").asText()).isEqualTo("ledger-db");
        FlowReports.print("slow-downstream (3 hops: shop → basket → billing → ledger-db)", incident, FlowReports.ticket(app, incident));
        FlowReports.record(app, incident, "slow-downstream-shop");
    }

    @Test
    @Order(4)
    void aDeeperComponentThatSlowedLaterIsAConsequenceNotTheCause() {
        JsonNode incident = FlowReports.awaitReport(app, "catalog", DEADLINE);
        String summary = incident.at("/rootCause/summary").asText();
        assertThat(summary).as(incident.at("/report/markdown").asText()).matches("(?s)search is the deepest component that slowed, "
                + "1 hop below catalog: catalog p99 [0-9.]+→[0-9.]+ s → search [0-9.]+→[0-9.]+ s \\(traces \\+ metrics\\).*")
                .containsPattern("Checked and normal: media [0-9.]+→[0-9.]+ s\\.")
                .containsPattern("Not blamed: index [0-9.]+→[0-9.]+ ms \\(began at [0-9T:Z-]+, after its caller \\([0-9T:Z-]+\\): "
                        + "a consequence, not the cause\\)");
        assertThat(incident.at("/rootCause/confidence").asText()).isEqualTo("high");
        assertThat(walk(incident, "catalog").at("/values/blamed").asText()).isEqualTo("search");
        FlowReports.print("slow-downstream (a consequence that looks like a cause: index slowed 3 minutes after search)", incident,
                FlowReports.ticket(app, incident));
        FlowReports.record(app, incident, "slow-downstream-catalog");
    }

    @Test
    @Order(5)
    void eachWalkSentAtMostOneQueryPerLevelAndSignalAndSaysHowLongItTook() {
        // per level measured (the target's own, the blamed one's and one more below it at most): one server-side query,
        // and at most one client-side, one day-before and one throttling query; the count does not grow with a level's width
        StringBuilder out = new StringBuilder("\n==================== graph.walk on the real stack: queries and wall time per walk"
                + " ====================\n");
        for (var e : new java.util.TreeMap<>(WALKS).entrySet()) {
            JsonNode v = e.getValue().get("values");
            out.append(String.format(java.util.Locale.ROOT, "%-10s depth %d, %2d components checked, %2d queries, %4d ms (Prometheus %4d ms)%n",
                    e.getKey(), v.get("depth").asLong(), v.get("checked").asLong(), v.get("queries").asLong(), v.get("wall_ms").asLong(),
                    v.get("backend_ms").asLong()));
            assertThat(v.get("queries").asLong()).as(e.getKey()).isBetween(1L, 4L * (v.get("depth").asLong() + 2));
            assertThat(v.get("wall_ms").asLong()).as(e.getKey()).isGreaterThanOrEqualTo(v.get("backend_ms").asLong());
        }
        System.out.println(out);
        assertThat(WALKS).containsKeys("orders", "shop", "catalog");
    }

    /**
     * The incident's latency walk (latency-slow-dependency's; downstream-errors' walk of the same step id follows the
     * 5xx ratio), kept for the measurements.
     */
    private static JsonNode walk(JsonNode incident, String service) {
        for (JsonNode e : incident.at("/report/evidence")) {
            if ("graph.walk".equals(e.get("type").asText()) && e.at("/values/path").asText().startsWith(service + " p99")) {
                assertThat(e.get("status").asText()).as(e.toString()).isEqualTo("ok");
                WALKS.put(service, e);
                return e;
            }
        }
        throw new AssertionError("no latency walk of " + service + " in " + incident.at("/report/evidence"));
    }

    /**
     * The services' request latency histogram (OpenTelemetry's {@code http.server.request.duration} as exported to
     * Prometheus, with {@code _count} and {@code _sum}, so the OpenTelemetry convention is detected) from 65 minutes
     * before the alert to now, a sample every 15 s at 2 requests/s, each service's 30 requests per sample spread over
     * the buckets as {@link #before} and {@link #after} say: the alerting services 27 of 30 within 100 ms and 3 within
     * 250 ms before (p95 175 ms); after, orders, shop and catalog 2 within 250 ms and 28 within 500 ms, storefront
     * all 30 within 1 s. index slows {@link #INDEX_LATER} after the alert's start.
     */
    private static PromBackfill latencyHistory() {
        PromBackfill b = new PromBackfill();
        long now = Instant.now().getEpochSecond();
        long at = alertStart.getEpochSecond();
        String[] le = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "+Inf"};
        double[] upper = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2};
        Map<String, long[]> totals = new java.util.TreeMap<>();
        before().keySet().forEach(s -> totals.put(s, new long[le.length]));
        Map<String, Double> sums = new java.util.HashMap<>();
        // off the alert start by 7 s, so no sample falls on it: every point before it is baseline only
        for (long t = at - 65 * 60 + 7; t <= now; t += 15) {
            for (var service : totals.entrySet()) {
                String name = service.getKey();
                long shift = "index".equals(name) ? at + INDEX_LATER.toSeconds() : at;
                // requests per bucket (not cumulative) in these 15 s
                long[] per = t < shift ? before().get(name) : after().get(name);
                long cumulative = 0;
                double sum = 0;
                for (int i = 0; i < le.length; i++) {
                    cumulative += per[i];
                    sum += upper[i] * per[i];
                    service.getValue()[i] += cumulative;
                    b.sample("http_server_request_duration_seconds_bucket", Map.of("service", name, "le", le[i]), t, service.getValue()[i]);
                }
                // _count (what convention detection looks for) is the +Inf bucket; _sum at each bucket's upper bound
                b.sample("http_server_request_duration_seconds_count", Map.of("service", name), t, service.getValue()[le.length - 1]);
                b.sample("http_server_request_duration_seconds_sum", Map.of("service", name), t, sums.merge(name, sum, Double::sum));
            }
        }
        return b;
    }

    /** 30 requests in the bucket up to {@code le} (index into 5 ms, 10 ms, 25 ms, 50 ms, 100 ms, 250 ms, 500 ms, 1 s, +Inf). */
    private static long[] all(int le) {
        long[] out = new long[9];
        out[le] = 30;
        return out;
    }

    /** Per service, its requests per bucket every 15 s before the alert (index: before it slows). */
    private static Map<String, long[]> before() {
        long[] alerting = {0, 0, 0, 0, 27, 3, 0, 0, 0};
        return Map.ofEntries(Map.entry("orders", alerting), Map.entry("storefront", alerting), Map.entry("shop", alerting),
                Map.entry("catalog", alerting), Map.entry("auth", all(2)), Map.entry("payments", all(3)), Map.entry("payments-db", all(1)),
                Map.entry("inventory", all(3)), Map.entry("shipping", all(2)), Map.entry("basket", all(3)), Map.entry("stock", all(1)),
                Map.entry("billing", all(2)), Map.entry("ledger-db", all(1)), Map.entry("media", all(2)), Map.entry("search", all(3)),
                Map.entry("index", all(1)));
    }

    /** After: the slow chains in 100-500 ms, every other downstream as before. */
    private static Map<String, long[]> after() {
        long[] alerting = {0, 0, 0, 0, 0, 2, 28, 0, 0};
        Map<String, long[]> out = new java.util.HashMap<>(before());
        out.putAll(Map.of("orders", alerting, "shop", alerting, "catalog", alerting, "storefront", all(7), "payments", all(6),
                "payments-db", all(6), "basket", all(6), "billing", all(6), "ledger-db", all(5), "search", all(6)));
        out.put("index", all(5));
        return out;
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
