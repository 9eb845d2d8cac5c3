package dev.rootcause.api.incident;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ack/resolve body {@code {"by": "alice"}} is read as strictly as every other body: each bad body is a 400 naming
 * the field (or 415 for a non-JSON Content-Type) and takes no step; an empty body or {@code {}} still means {@code api}.
 */
@QuarkusTest
class IncidentStepBodyTest {

    private static long openIncident() {
        ObjectNode body = Payloads.unique("alertmanager-real-cache-hit-rate-low.json");
        Api.post("alertmanager", Payloads.text(body)).then().statusCode(202);
        return Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong();
    }

    @ParameterizedTest(name = "{0} {1} -> 400 field {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "ack|`{\"by\":\"a\",\"by\":\"b\"}`|by|Duplicate field",
        "ack|`{\"by\":\"a\"} {}`|$|Trailing token",
        "ack|`{\"who\":\"x\"}`|who|unknown field",
        "ack|`{\"by\":null}`|by|non-empty string",
        "ack|`{\"by\":7}`|by|non-empty string",
        "ack|`[\"alice\"]`|$|JSON object",
        "resolve|`{\"by\":\"a\",\"by\":\"b\"}`|by|Duplicate field",
        "resolve|`{\"by\":\"a\"} {}`|$|Trailing token",
        "resolve|`{\"by\":\"a\",\"why\":\"x\"}`|why|unknown field",
        "resolve|`{\"by\":null}`|by|non-empty string",
    })
    void aBadBodyIs400NamingTheFieldAndTakesNoStep(String step, String body, String field, String says) {
        long id = openIncident();
        given().contentType(ContentType.JSON).body(body).post("/api/v1/incidents/" + id + "/" + step)
                .then().statusCode(400).body("field", equalTo(field)).body("error", containsString(says));
        given().get("/api/v1/incidents/" + id).then().statusCode(200).body("status", equalTo("open"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ack", "resolve"})
    void aBodyThatIsNotJsonByItsContentTypeIs415(String step) {
        long id = openIncident();
        given().contentType("text/plain").body("{\"by\":\"alice\"}").post("/api/v1/incidents/" + id + "/" + step)
                .then().statusCode(415).body("field", equalTo("Content-Type"));
        given().get("/api/v1/incidents/" + id).then().statusCode(200).body("status", equalTo("open"));
    }

    /** An empty body has nothing to read, so its Content-Type (curl -d '' sends a form type) does not matter. */
    @ParameterizedTest(name = "ack with [{0}] as {1} is by api")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``|application/x-www-form-urlencoded",
        "` `|text/plain",
        "{}|application/json",
    })
    void anEmptyBodyOrEmptyObjectStillMeansApi(String body, String contentType) {
        long id = openIncident();
        given().contentType(contentType).body(body == null ? "" : body).post("/api/v1/incidents/" + id + "/ack")
                .then().statusCode(200).body("status", equalTo("acknowledged")).body("acknowledgedBy", equalTo("api"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8"})
    void aNamedActorIsStillTaken(String contentType) {
        long id = openIncident();
        given().contentType(contentType).body("{\"by\":\"alice\"}").post("/api/v1/incidents/" + id + "/resolve")
                .then().statusCode(200).body("status", equalTo("resolved")).body("resolvedBy", equalTo("alice"));
    }
}
