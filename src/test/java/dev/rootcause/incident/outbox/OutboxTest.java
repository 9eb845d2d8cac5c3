package dev.rootcause.incident.outbox;

import static dev.rootcause.Api.awaitIncident;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import dev.rootcause.TestClock;
import dev.rootcause.incident.effect.FlakyTicketTracker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Effects go through the outbox: retried with backoff, Retry-After honoured, dead after the horizon, retryable, once each. */
@QuarkusTest
@TestProfile(OutboxTest.Flaky.class)
class OutboxTest {

    public static class Flaky implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FlakyTicketTracker.class);
        }
    }

    static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");

    @Inject
    TestClock clock;
    @Inject
    FlakyTicketTracker tracker;

    @BeforeEach
    void fixTime() {
        clock.set(T0);
        tracker.failNext(0, null);
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void failedTicketIsRetriedWithBackoffThenOpensOnce() {
        tracker.failNext(2, null);
        long id = postAlert();
        JsonNode first = awaitTicketEffect(id, e -> e.get("attempts").asInt() == 1);
        assertThat(first.get("status").asText()).isEqualTo("pending");
        assertThat(first.get("lastError").asText()).isEqualTo("tracker down (test)");
        assertThat(millisAfter(first.get("nextAttemptAt"), T0)).isBetween(750L, 1250L); // 1 s ± 25 %

        clock.advance(Duration.ofSeconds(2));
        JsonNode second = awaitTicketEffect(id, e -> e.get("attempts").asInt() == 2);
        assertThat(millisAfter(second.get("nextAttemptAt"), T0.plusSeconds(2))).isBetween(1500L, 2500L); // 2 s ± 25 %

        clock.advance(Duration.ofSeconds(5));
        JsonNode done = awaitTicketEffect(id, e -> e.get("status").asText().equals("done"));
        assertThat(done.get("attempts").asInt()).isEqualTo(3);
        assertThat(Api.incident(id).at("/ticket/key").asText()).startsWith("RC-");
    }

    @Test
    void retryAfterIsHonoured() {
        tracker.failNext(1, Duration.ofSeconds(90));
        long id = postAlert();
        JsonNode first = awaitTicketEffect(id, e -> e.get("attempts").asInt() == 1);
        assertThat(Instant.parse(first.get("nextAttemptAt").asText())).isEqualTo(T0.plusSeconds(90));
        clock.advance(Duration.ofSeconds(91));
        awaitTicketEffect(id, e -> e.get("status").asText().equals("done"));
    }

    @Test
    void afterTheHorizonAnEffectIsDeadListedAndRetryable() {
        tracker.failNext(1_000_000, null);
        long id = postAlert();
        awaitTicketEffect(id, e -> e.get("attempts").asInt() >= 1);
        clock.advance(Duration.ofHours(25)); // rootcause.outbox.horizon defaults to 24h
        JsonNode dead = awaitTicketEffect(id, e -> e.get("status").asText().equals("dead"));
        assertThat(effects("dead")).anyMatch(e -> e.get("id").asLong() == dead.get("id").asLong());
        assertThat(Api.incident(id).get("timeline").toString()).contains("effect_dead");

        tracker.failNext(0, null);
        given().post("/api/v1/outbox/" + dead.get("id").asLong() + "/retry").then().statusCode(200);
        awaitTicketEffect(id, e -> e.get("status").asText().equals("done"));
        given().post("/api/v1/outbox/" + dead.get("id").asLong() + "/retry").then().statusCode(404);
        assertThat(Api.incident(id).at("/ticket/key").asText()).startsWith("RC-");
    }

    @Test
    void aReopenedIncidentPostsAgainButKeepsItsOneTicket() {
        ObjectNode firing = Payloads.unique("alertmanager-firing-2-alerts.json");
        Api.post("alertmanager", firing.toString()).then().statusCode(202);
        long id = awaitIncident(firing.get("groupKey").asText()).get("id").asLong();
        awaitTicketEffect(id, e -> e.get("status").asText().equals("done"));
        Api.post("alertmanager", Payloads.withStatus(firing, "resolved").toString()).then().statusCode(202);
        Api.awaitTimeline(id, "resolved", 1);
        ObjectNode again = firing.deepCopy();
        again.withArray("alerts").forEach(a -> ((ObjectNode) a).put("startsAt", "2026-05-01T07:59:00Z"));
        Api.post("alertmanager", again.toString()).then().statusCode(202);
        await().atMost(Api.DEADLINE).until(() -> ofIncident(id, EffectKind.POST_REPORT).size() == 2
                && ofIncident(id, EffectKind.POST_REPORT).stream().allMatch(e -> e.get("status").asText().equals("done")));
        assertThat(ofIncident(id, EffectKind.OPEN_TICKET)).hasSize(1);
        given().get("/api/v1/outbox?status=burning").then().statusCode(400);
    }

    private long postAlert() {
        ObjectNode body = Payloads.unique("alertmanager-firing-2-alerts.json");
        Api.post("alertmanager", body.toString()).then().statusCode(202);
        return awaitIncident(body.get("groupKey").asText()).get("id").asLong();
    }

    private static JsonNode awaitTicketEffect(long incidentId, java.util.function.Predicate<JsonNode> condition) {
        return await().atMost(Api.DEADLINE).pollInterval(Duration.ofMillis(100)).until(
                () -> ofIncident(incidentId, EffectKind.OPEN_TICKET).stream().findFirst().orElse(null),
                e -> e != null && condition.test(e));
    }

    private static List<JsonNode> ofIncident(long incidentId, EffectKind kind) {
        return StreamSupport.stream(effects(null).spliterator(), false)
                .filter(e -> e.get("incidentId").asLong() == incidentId && e.get("kind").asText().equals(kind.wire())).toList();
    }

    private static List<JsonNode> effects(String status) {
        String body = given().get("/api/v1/outbox?limit=1000" + (status == null ? "" : "&status=" + status))
                .then().statusCode(200).extract().asString();
        return StreamSupport.stream(Api.read(body).spliterator(), false).toList();
    }

    private static long millisAfter(JsonNode time, Instant from) {
        return Duration.between(from, Instant.parse(time.asText())).toMillis();
    }
}
