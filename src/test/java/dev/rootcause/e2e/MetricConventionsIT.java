package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.Api;
import dev.rootcause.PackagedApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped rules, unchanged, on services instrumented other than with the classic Prometheus client: a
 * real Prometheus holds two hours of backfilled history ({@link PromBackfill}) of
 * <ul>
 *   <li>{@code orders}, Micrometer names ({@code http_server_requests_seconds_*{application="orders"}},
 *       {@code http_client_requests_seconds_count{client_name}}): a deploy 25 minutes ago raised its 5xx
 *       ratio from 0.1 % to about 13 %; its dependencies stayed healthy;</li>
 *   <li>{@code billing}, OpenTelemetry names ({@code http_server_request_duration_seconds_*{service_name="billing"}},
 *       {@code http_client_request_duration_seconds_count{server_address, error_type}}): no deploy; its
 *       dependency {@code ledger} began failing 25 minutes ago (0.1 % → 40 % of calls), {@code tax} stayed fine.</li>
 * </ul>
 * The packaged service diagnoses each on demand; each convention is detected by the one query against the
 * real Prometheus, and the report names the deploy for orders and ledger for billing.
 */
class MetricConventionsIT {

    private static Path work;
    private static PackagedApp app;
    private static PromBackfill.PrivatePrometheus prometheus;
    private static long now;

    @BeforeAll
    static void up() throws Exception {
        now = Instant.now().getEpochSecond();
        long start = now - 7200;
        long change = now - 1500;
        PromBackfill b = new PromBackfill();
        double ok = 0, failed = 0, fast = 0, slow = 0;
        double payments = 0, inventory = 0;
        double billingOk = 0, billingFailed = 0, ledgerOk = 0, ledgerFailed = 0, tax = 0, ledgerSeconds = 0, taxSeconds = 0;
        for (long t = start; t <= now; t += 15) {
            boolean after = t >= change;
            // orders (Micrometer): 20 req/s of 200; 5xx 0.02/s before the deploy, 3/s after; slower after
            ok += 15 * 20.0;
            failed += 15 * (after ? 3.0 : 0.02);
            fast += 15 * (after ? 12.0 : 19.0);
            slow += 15 * (after ? 20.0 : 20.0);
            Map<String, String> s200 = Map.of("application", "orders", "uri", "/orders", "status", "200", "outcome", "SUCCESS", "method", "POST");
            Map<String, String> s500 = Map.of("application", "orders", "uri", "/orders", "status", "500", "outcome", "SERVER_ERROR", "method", "POST");
            b.sample("http_server_requests_seconds_count", s200, t, ok);
            b.sample("http_server_requests_seconds_count", s500, t, failed);
            double total = ok + failed;
            b.sample("http_server_requests_seconds_bucket", Map.of("application", "orders", "le", "0.1"), t, fast);
            b.sample("http_server_requests_seconds_bucket", Map.of("application", "orders", "le", "0.5"), t, slow);
            b.sample("http_server_requests_seconds_bucket", Map.of("application", "orders", "le", "+Inf"), t, total);
            payments += 15 * 8.0;
            inventory += 15 * 4.0;
            b.sample("http_client_requests_seconds_count", Map.of("application", "orders", "client_name", "payments", "outcome", "SUCCESS"), t, payments);
            b.sample("http_client_requests_seconds_sum", Map.of("application", "orders", "client_name", "payments", "outcome", "SUCCESS"), t, payments * 0.05);
            b.sample("http_client_requests_seconds_count", Map.of("application", "orders", "client_name", "inventory", "outcome", "SUCCESS"), t, inventory);
            b.sample("http_client_requests_seconds_sum", Map.of("application", "orders", "client_name", "inventory", "outcome", "SUCCESS"), t, inventory * 0.03);

            // billing (OpenTelemetry): 10 req/s; 5xx follow ledger's failures
            billingOk += 15 * 10.0;
            billingFailed += 15 * (after ? 2.0 : 0.01);
            b.sample("http_server_request_duration_seconds_count", Map.of("service_name", "billing", "http_response_status_code", "200",
                    "http_request_method", "GET"), t, billingOk);
            b.sample("http_server_request_duration_seconds_count", Map.of("service_name", "billing", "http_response_status_code", "500",
                    "http_request_method", "GET", "error_type", "500"), t, billingFailed);
            ledgerOk += 15 * (after ? 3.0 : 5.0);
            ledgerFailed += 15 * (after ? 2.0 : 0.005);
            tax += 15 * 5.0;
            ledgerSeconds += 15 * 5.0 * 0.04;
            taxSeconds += 15 * 5.0 * 0.02;
            b.sample("http_client_request_duration_seconds_count", Map.of("service_name", "billing", "server_address", "ledger",
                    "http_response_status_code", "200"), t, ledgerOk);
            b.sample("http_client_request_duration_seconds_count", Map.of("service_name", "billing", "server_address", "ledger",
                    "http_response_status_code", "503", "error_type", "503"), t, ledgerFailed);
            b.sample("http_client_request_duration_seconds_sum", Map.of("service_name", "billing", "server_address", "ledger",
                    "http_response_status_code", "200"), t, ledgerSeconds);
            b.sample("http_client_request_duration_seconds_count", Map.of("service_name", "billing", "server_address", "tax",
                    "http_response_status_code", "200"), t, tax);
            b.sample("http_client_request_duration_seconds_sum", Map.of("service_name", "billing", "server_address", "tax",
                    "http_response_status_code", "200"), t, taxSeconds);
        }
        Path dir = Path.of("target/metric-conventions-it").toAbsolutePath();
        prometheus = PromBackfill.startPrometheus(b.writeBlocks(dir), dir.resolve("prometheus"));
        work = Files.createTempDirectory("rootcause-conventions");
        app = new PackagedApp(work);
        app.start(Map.of(
                "quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + work.resolve("data/rootcause")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "rootcause.rules.dir", Path.of("rules").toAbsolutePath().toString(),
                "rootcause.sources.prometheus.url", prometheus.url(),
                // the history has a sample every 15 s
                "rootcause.rules.vars.rate_window", "1m"));
        String deploy = "{\"id\":\"ci-orders-77\",\"service\":\"orders\",\"version\":\"2.0.0\",\"previousVersion\":\"1.9.4\","
                + "\"time\":\"" + Instant.ofEpochSecond(change) + "\",\"kind\":\"deploy\",\"verify\":false}";
        HttpResponse<String> posted = app.postJson("/api/v1/changes", deploy);
        assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 202);
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

    static JsonNode diagnose(String service) {
        HttpResponse<String> r = app.postJson("/api/v1/diagnose", "{\"service\":\"" + service + "\",\"window\":\"25m\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Api.read(r.body());
    }

    static Map<String, JsonNode> evidence(JsonNode report) {
        Map<String, JsonNode> out = new HashMap<>();
        report.get("evidence").forEach(e -> out.put(e.get("step").asText(), e));
        return out;
    }

    static Map<String, String> verdicts(JsonNode report) {
        Map<String, String> out = new HashMap<>();
        report.get("findings").forEach(f -> out.put(f.get("id").asText(), f.get("verdict").asText()));
        return out;
    }

    @Test
    void micrometerNamedServiceDeployIsBlamedWithMicrometerQueries() {
        JsonNode report = diagnose("orders");
        Map<String, JsonNode> e = evidence(report);
        JsonNode errors = e.get("errors");
        assertThat(errors.get("status").asText()).as(errors.toString()).isEqualTo("ok");
        assertThat(errors.at("/values/convention").asText()).isEqualTo("micrometer (application=\"orders\", detected)");
        assertThat(errors.get("query").asText()).contains("http_server_requests_seconds_count{application=\"orders\",status=~\"5..\"}");
        assertThat(errors.at("/values/before").asDouble()).isLessThan(0.002);
        assertThat(errors.at("/values/after").asDouble()).isBetween(0.10, 0.14);
        assertThat(e.get("p99").get("query").asText()).contains("http_server_requests_seconds_bucket{application=\"orders\"}");
        assertThat(report.at("/rootCause/rule").asText()).as(report.toString()).isEqualTo("http-5xx-after-deploy");
        assertThat(report.at("/rootCause/finding").asText()).isEqualTo("bad-deploy");
        assertThat(report.at("/rootCause/summary").asText()).contains("Deploy 2.0.0 of orders");
        // the client side stayed healthy: no dependency is blamed, and that is a finding, not missing data
        assertThat(e.get("client_errors").at("/values/convention").asText()).isEqualTo("micrometer (application=\"orders\", detected)");
        assertThat(verdicts(report)).containsEntry("failing-dependency", "rules_out");
        assertThat(report.get("markdown").asText()).contains("micrometer (application=\"orders\", detected)");
    }

    @Test
    void otelNamedServiceFailingDependencyIsNamedWithoutTraces() {
        JsonNode report = diagnose("billing");
        Map<String, JsonNode> e = evidence(report);
        JsonNode client = e.get("client_errors");
        assertThat(client.get("status").asText()).as(client.toString()).isEqualTo("ok");
        assertThat(client.at("/values/convention").asText()).isEqualTo("otel (service_name=\"billing\", detected)");
        assertThat(client.get("query").asText()).contains("http_client_request_duration_seconds_count{service_name=\"billing\",error_type!=\"\"");
        assertThat(client.at("/values/top").asText()).isEqualTo("ledger");
        assertThat(client.at("/values/top_after").asDouble()).isBetween(0.35, 0.45);
        assertThat(client.at("/values/runner_up").asText()).isEqualTo("tax");
        assertThat(verdicts(report)).containsEntry("failing-dependency", "supports")
                // no change event ever reached rootcause for billing: the deploy rule did not check, it ruled nothing out
                .containsEntry("bad-deploy", "no_data");
        assertThat(report.at("/rootCause/finding").asText()).as(report.toString()).isEqualTo("failing-dependency");
        assertThat(report.at("/rootCause/summary").asText()).contains("ledger is the deepest component that failed, 1 hop below billing");
        // the server side read with OTel names too
        JsonNode latency = e.get("latency");
        assertThat(latency.get("query").asText()).contains("http_server_request_duration_seconds_bucket{service_name=\"billing\"}");
    }
}
