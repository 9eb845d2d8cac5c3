package dev.rootcause;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** Calls the service the way a sender or an API client does; polls with a deadline, never sleeps. */
public final class Api {

    public static final Duration DEADLINE = Duration.ofSeconds(20);

    private Api() {
    }

    public static Response post(String source, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/alerts/" + source);
    }

    public static JsonNode incidents() {
        return read(given().get("/api/v1/incidents?limit=1000").then().statusCode(200).extract().asString());
    }

    public static JsonNode incident(long id) {
        return read(given().get("/api/v1/incidents/" + id).then().statusCode(200).extract().asString());
    }

    public static List<JsonNode> incidentsOfGroup(String groupKey) {
        return StreamSupport.stream(incidents().spliterator(), false)
                .filter(i -> groupKey.equals(i.get("groupKey").asText())).toList();
    }

    /** Waits until the group's incident exists and returns its detail. */
    public static JsonNode awaitIncident(String groupKey) {
        long id = await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50))
                .until(() -> incidentsOfGroup(groupKey).stream().findFirst().map(i -> i.get("id").asLong()),
                        Optional::isPresent).orElseThrow();
        return incident(id);
    }

    /** Waits until the incident's timeline holds at least {@code entries} entries of {@code kind}. */
    public static JsonNode awaitTimeline(long id, String kind, int entries) {
        return await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> incident(id),
                i -> StreamSupport.stream(i.get("timeline").spliterator(), false)
                        .filter(e -> kind.equals(e.get("kind").asText())).count() >= entries);
    }

    public static JsonNode read(String json) {
        try {
            return Payloads.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }
}
