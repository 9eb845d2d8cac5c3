package dev.rootcause.source.datadog;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.rootcause.source.datadog.DatadogWireMock.API_KEY;
import static dev.rootcause.source.datadog.DatadogWireMock.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Issue 26, "Done when": a Datadog monitor notification in the Webhooks integration's shape (the shipped payload,
 * src/test/resources/alerts/datadog/) opens an incident whose report cites Datadog metrics and APM. Datadog (WireMock,
 * answers in the recorded shape of {@code GET /api/v1/query}) has checkout's APM trace metrics: the 5xx ratio of its
 * servlet.request spans rose from 0.2 % to 8 % at a deploy 25 minutes before the alert, p99 from 0.3 to 0.9 s; its
 * client spans by peer.service show payments and inventory unchanged; the deploy itself came in as a Datadog
 * deployment event. The report blames the deploy with high confidence, citing the change and the trace-metric evidence
 * (convention datadog-servlet), and shows the per-downstream APM check that ruled the dependencies out.
 */
@QuarkusTest
@TestProfile(DatadogWireMock.Profile.class)
class DatadogIncidentTest {

    @Inject
    DatadogDeployEvents events;

    @Test
    void monitorNotificationOpensAnIncidentWhoseReportCitesDatadogMetricsAndApm() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant deploy = now.minus(25, ChronoUnit.MINUTES);
        Instant alert = now.minus(5, ChronoUnit.MINUTES);
        server().resetAll();
        // every other query (the other rules' PromQL is refused before it is sent; nothing else should arrive)
        server().stubFor(get(urlPathEqualTo("/api/v1/query")).atPriority(10).willReturn(okJson(answer("*", List.of()))));
        stub("sum:trace.servlet.request.hits{service:checkout}", series("service:checkout", t -> 40));
        stub("sum:trace.servlet.request.errors{service:checkout}", series("service:checkout", t -> t < deploy.getEpochSecond() ? 0.002 + jitter(t) : 0.08 + jitter(t)));
        stub("p99:trace.servlet.request{service:checkout}", series("service:checkout", t -> t < deploy.getEpochSecond() ? 0.3 + jitter(t) : 0.9 + jitter(t)));
        stub("p95:trace.servlet.request{service:checkout}", series("service:checkout", t -> t < deploy.getEpochSecond() ? 0.2 + jitter(t) : 0.6 + jitter(t)));
        stub("by {peer.service}.as_count()", series("peer.service:payments", t -> 0.001 + jitter(t)) + "," + series("peer.service:inventory",
                t -> 0.002 + jitter(t)));
        stub("avg:trace.http.request{service:checkout,span.kind:client} by {peer.service}", series("peer.service:payments", t -> 0.05 + jitter(t))
                + "," + series("peer.service:inventory", t -> 0.02 + jitter(t)));
        server().stubFor(get(urlPathEqualTo("/api/v2/events")).willReturn(okJson(deployEvent(deploy))));

        assertThat(events.poll().created()).isEqualTo(1);

        ObjectNode body = Payloads.fixture("datadog/checkout-errors-triggered.json");
        body.put("date", Long.toString(alert.toEpochMilli())).put("alert_id", "148299");
        Api.post("datadog", body.toString()).then().statusCode(202);

        String groupKey = "{}:{datadog_monitor_id=\"148299\",scope=\"env:prod,service:checkout\"}";
        JsonNode incident = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Api.incidentsOfGroup(groupKey).stream().findFirst().map(i -> Api.incident(i.get("id").asLong())),
                        i -> i.isPresent() && !i.get().get("report").isNull())
                .orElseThrow();
        String markdown = incident.at("/report/markdown").asText();
        System.out.println(markdown);

        assertThat(markdown).contains("Deploy 2.8.0 of checkout").contains("(expression: ");
        assertThat(incident.at("/rootCause/summary").asText()).startsWith("Deploy 2.8.0 of checkout (was 2.7.4");
        assertThat(incident.at("/rootCause/confidence").asText()).isEqualTo("high");
        assertThat(incident.at("/report/findings").toString()).contains("bad-deploy");
        JsonNode errors = evidence(incident, "http-5xx-after-deploy", "errors");
        assertThat(errors.get("source").asText()).isEqualTo("datadog");
        assertThat(errors.get("status").asText()).isEqualTo("ok");
        assertThat(errors.get("query").asText()).contains("trace.servlet.request.errors{service:checkout}");
        assertThat(errors.get("link").asText()).startsWith("https://app.datadoghq.eu/metric/explorer?");
        JsonNode apm = evidence(incident, "downstream-errors", "client_errors");
        assertThat(apm.get("source").asText()).isEqualTo("datadog");
        assertThat(apm.get("query").asText()).contains("span.kind:client").contains("by {peer.service}");
        assertThat(apm.get("status").asText()).as(apm.toString()).isIn("ok", "no_data");
        assertThat(markdown).contains("datadog-servlet").contains("payments");
        assertThat(evidence(incident, "http-5xx-after-deploy", "deploy").toString()).contains("datadog-7439");
        server().verify(getRequestedFor(urlPathEqualTo("/api/v1/query")).withHeader("DD-API-KEY", equalTo(API_KEY)));
    }

    @Test
    void aNotificationWithAnUnknownTransitionIs400NamingTheField() {
        ObjectNode body = Payloads.fixture("datadog/checkout-errors-triggered.json").put("alert_transition", "Exploded");
        Api.post("datadog", body.toString()).then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("alert_transition"));
    }

    private static JsonNode evidence(JsonNode incident, String rule, String step) {
        for (JsonNode f : incident.at("/report/findings")) {
            if (rule.equals(f.path("rule").asText())) {
                for (JsonNode e : incident.at("/report/evidence")) {
                    if (step.equals(e.path("step").asText()) && e.path("rule").asText(rule).equals(rule)) {
                        return e;
                    }
                }
            }
        }
        throw new AssertionError("no evidence " + rule + "/" + step + " in " + incident.at("/report"));
    }

    private static double jitter(long t) {
        return ((t / 60) % 7) * 0.0001;
    }

    private static void stub(String queryPart, String seriesJson) {
        server().stubFor(get(urlPathEqualTo("/api/v1/query")).atPriority(1).withQueryParam("query", containing(queryPart))
                .willReturn(okJson(answer(queryPart, List.of(seriesJson)))));
    }

    /** A series every minute over the last three hours, in the recorded shape of GET /api/v1/query. */
    private static String series(String tag, LongToDoubleFunction valueAt) {
        long end = Instant.now().getEpochSecond() / 60 * 60;
        List<String> points = new ArrayList<>();
        for (long t = end - 3 * 3600; t <= end; t += 60) {
            points.add(String.format(Locale.ROOT, "[%d.0,%.6f]", t * 1000, valueAt.applyAsDouble(t)));
        }
        return "{\"metric\":\"trace\",\"interval\":60,\"tag_set\":[\"" + tag + "\"],\"scope\":\"" + tag + "\",\"query_index\":0,"
                + "\"pointlist\":[" + String.join(",", points) + "]}";
    }

    private static String answer(String query, List<String> series) {
        return "{\"status\":\"ok\",\"res_type\":\"time_series\",\"series\":[" + String.join(",", series) + "],\"query\":\""
                + query.replace("\"", "\\\"") + "\",\"message\":\"\",\"group_by\":[]}";
    }

    private static String deployEvent(Instant at) {
        return "{\"data\":[{\"attributes\":{\"attributes\":{\"status\":\"info\",\"service\":\"checkout\",\"title\":\"Deployed checkout 2.8.0\","
                + "\"timestamp\":" + at.toEpochMilli() + ",\"evt\":{\"source_id\":100,\"type\":\"api\",\"id\":\"7439201886522170001\"}},"
                + "\"message\":\"checkout 2.7.4 -> 2.8.0\",\"tags\":[\"deployment\",\"service:checkout\",\"version:2.8.0\","
                + "\"previous_version:2.7.4\",\"env:prod\"],\"timestamp\":\"" + at + "\"},\"type\":\"event\",\"id\":\"AgAAAYGCFXAgIVFv\"}]}";
    }
}
