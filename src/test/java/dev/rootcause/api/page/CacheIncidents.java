package dev.rootcause.api.page;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import dev.rootcause.source.metrics.PrometheusWireMock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * Diagnosed incidents for the page tests: the cache alert posted with WireMock answering as Prometheus that the hit
 * ratio collapsed while misses rose (cache penetration, rule cache-hit-rate), waited for until its report is stored.
 */
final class CacheIncidents {

    private CacheIncidents() {
    }

    /**
     * Posts a new group's cache alert, changed by {@code edit} first, and returns the incident (API detail) once reported.
     */
    static JsonNode diagnosed(Consumer<ObjectNode> edit) {
        Instant start = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        PrometheusWireMock.server().resetAll();
        stubPenetration(PrometheusWireMock.server(), start);
        ObjectNode body = alert(start);
        edit.accept(body);
        Api.post("alertmanager", body.toString()).then().statusCode(202);
        long id = Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong();
        return await().atMost(Api.DEADLINE).until(() -> Api.incident(id), i -> !i.get("report").isNull());
    }

    /** A new group's cache alert (a unique group key), started at {@code start}. */
    static ObjectNode alert(Instant start) {
        ObjectNode body = Payloads.unique("alertmanager-real-cache-hit-rate-low.json");
        ((ObjectNode) body.at("/alerts/0")).put("startsAt", start.toString());
        return body;
    }

    /** Prometheus answers to the cache rule's four queries: the hit ratio collapsed, misses rose, expiries stayed flat. */
    static void stubPenetration(WireMockServer server, Instant start) {
        stub(server, matching("^sum\\(rate\\(redis_keyspace_hits_total.* / \\(sum.*"), start, 0.95, 0.05);
        stub(server, matching("^sum\\(rate\\(redis_keyspace_misses_total.*"), start, 10, 300);
        stub(server, containing("redis_expired_keys_total"), start, 1, 1);
        stub(server, containing("redis_evicted_keys_total"), start, 0, 0);
    }

    /** A one-series matrix: 3 points of {@code before} in the half hour before the alert, 2 of {@code after} after it. */
    private static void stub(WireMockServer server, StringValuePattern query, Instant start, double before, double after) {
        StringBuilder values = new StringBuilder();
        for (int m : new int[] {30, 20, 10}) {
            values.append('[').append(start.minus(m, ChronoUnit.MINUTES).getEpochSecond()).append(",\"").append(before).append("\"],");
        }
        values.append('[').append(start.plusSeconds(10).getEpochSecond()).append(",\"").append(after).append("\"],");
        values.append('[').append(start.plusSeconds(20).getEpochSecond()).append(",\"").append(after).append("\"]");
        server.stubFor(post(urlEqualTo("/api/v1/query_range")).withFormParam("query", query)
                .willReturn(okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":["
                        + values + "]}]}}")));
    }
}
