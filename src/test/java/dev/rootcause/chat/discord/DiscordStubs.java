package dev.rootcause.chat.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Prometheus answers for the cache rule, relative to an alert that started a minute ago. */
final class DiscordStubs {

    private DiscordStubs() {
    }

    static Instant alertStart() {
        return Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
    }

    /** Hit ratio and misses before/after; expirations and evictions flat (a penetration when they change). */
    static void cacheRule(WireMockServer server, double hitBefore, double hitAfter, double missBefore, double missAfter) {
        cacheRule(server, hitBefore, hitAfter, missBefore, missAfter, 0);
    }

    /** The same, each answer after {@code delayMillis}. */
    static void cacheRule(WireMockServer server, double hitBefore, double hitAfter, double missBefore, double missAfter, int delayMillis) {
        stub(server, matching("^sum\\(rate\\(redis_keyspace_hits_total.* / \\(sum.*"), hitBefore, hitAfter, delayMillis);
        stub(server, matching("^sum\\(rate\\(redis_keyspace_misses_total.*"), missBefore, missAfter, delayMillis);
        stub(server, containing("redis_expired_keys_total"), 1, 1, delayMillis);
        stub(server, containing("redis_evicted_keys_total"), 0, 0, delayMillis);
    }

    private static void stub(WireMockServer server, com.github.tomakehurst.wiremock.matching.StringValuePattern query, double before,
            double after, int delayMillis) {
        Instant start = alertStart();
        StringBuilder values = new StringBuilder();
        for (int m : new int[] {30, 20, 10}) {
            values.append('[').append(start.minus(m, ChronoUnit.MINUTES).getEpochSecond()).append(",\"").append(before).append("\"],");
        }
        values.append('[').append(start.plusSeconds(10).getEpochSecond()).append(",\"").append(after).append("\"],");
        values.append('[').append(start.plusSeconds(20).getEpochSecond()).append(",\"").append(after).append("\"]");
        ResponseDefinitionBuilder answer = okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":["
                + values + "]}]}}").withFixedDelay(delayMillis);
        server.stubFor(post(urlEqualTo("/api/v1/query_range")).withFormParam("query", query).willReturn(answer));
    }
}
