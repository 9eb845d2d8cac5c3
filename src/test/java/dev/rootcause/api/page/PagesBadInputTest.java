package dev.rootcause.api.page;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.rootcause.Api;
import dev.rootcause.source.metrics.PrometheusWireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What people and scripts send the pages that is not what a form sends: a malformed form body, a field past its
 * limit, another content type, a form without its CSRF token. Each is a 4xx page naming the field, never a 500.
 */
@QuarkusTest
@TestProfile(PagesTest.Profile.class)
@QuarkusTestResource(value = PrometheusWireMock.class, restrictToAnnotatedClass = true)
class PagesBadInputTest {

    static final String FORM = "application/x-www-form-urlencoded";

    @BeforeAll
    static void apiClientsCarryTheToken() {
        PagesTest.apiClientsCarryTheToken();
    }

    @AfterAll
    static void reset() {
        PagesTest.reset();
    }

    /** A raw form body exactly as typed: RestAssured would re-encode form params. */
    private static io.restassured.specification.RequestSpecification raw(String contentType, String body) {
        return given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                .appendDefaultContentCharsetToContentTypeIfUndefined(false))).contentType(contentType).body(body);
    }

    @Test
    void aMalformedPercentEscapeIsA400NamingTheField() {
        raw(FORM, "name=%ZZ&token=" + PagesTest.TOKEN).post("/login").then().statusCode(400)
                .contentType(containsString("text/html")).body(containsString("name: "));
        raw(FORM, "name=alice&token=%E0%A4").post("/login").then().statusCode(400).body(containsString("token: "))
                .body(not(containsString("%E0%A4")));
        long id = CacheIncidents.diagnosed(b -> { }).get("id").asLong();
        String cookie = PagesTest.login("olga");
        raw(FORM, "csrf=x&verdict=wrong&actual=50%").cookie(PageSession.COOKIE, cookie).post("/incidents/" + id + "/feedback")
                .then().statusCode(400).body(containsString("actual: malformed percent escape"));
        raw(FORM + "; charset=UTF-8", "csrf=x&verdict=wrong&actual=%FF%FE").cookie(PageSession.COOKIE, cookie)
                .post("/incidents/" + id + "/feedback").then().statusCode(400).body(containsString("actual: not UTF-8"));
        assertThat(Api.incident(id).get("feedback").isNull()).isTrue();
    }

    @Test
    void aFieldPastItsLimitIsRefusedNotCut() {
        long id = CacheIncidents.diagnosed(b -> { }).get("id").asLong();
        String cookie = PagesTest.login("pia");
        String csrf = PagesTest.csrf(given().cookie(PageSession.COOKIE, cookie).get("/incidents/" + id).then().extract().asString());
        given().cookie(PageSession.COOKIE, cookie).formParam("csrf", csrf).formParam("verdict", "wrong")
                .formParam("actual", "x".repeat(1001)).post("/incidents/" + id + "/feedback").then().statusCode(400)
                .body(containsString("actual: at most 1000 characters"));
        // 1000 characters of 3-byte UTF-8, percent-encoded: about 9 KB on the wire, within the form's limits
        given().cookie(PageSession.COOKIE, cookie).formParam("csrf", csrf).formParam("verdict", "wrong")
                .formParam("actual", "€".repeat(1000)).redirects().follow(false).post("/incidents/" + id + "/feedback")
                .then().statusCode(303);
        assertThat(Api.incident(id).at("/feedback/actual").asText()).hasSize(1000);
        given().formParam("name", "n".repeat(200_000)).formParam("token", PagesTest.TOKEN).post("/login").then()
                .statusCode(413).body(containsString("The form is larger than 32 KiB"));
        given().cookie(PageSession.COOKIE, cookie).formParam("csrf", "c".repeat(201)).post("/incidents/" + id + "/ack").then()
                .statusCode(400).body(containsString("csrf: at most 200 characters"));
        given().formParam("name", "n".repeat(101)).formParam("token", PagesTest.TOKEN).post("/login").then().statusCode(400)
                .body(containsString("name: give your name (1 to 100 characters)"));
    }

    @Test
    void anotherContentTypeIsA415SayingWhatToSend() {
        raw("application/json", "{\"name\":\"alice\",\"token\":\"" + PagesTest.TOKEN + "\"}").post("/login").then().statusCode(415)
                .body(containsString("Content-Type")).body(containsString(FORM));
        raw("text/plain", "csrf=x").cookie(PageSession.COOKIE, PagesTest.login("quinn")).post("/incidents/1/ack").then()
                .statusCode(415).body(containsString(FORM));
    }

    @Test
    void aFormWithoutItsCsrfTokenIsA403NamingIt() {
        long id = CacheIncidents.diagnosed(b -> { }).get("id").asLong();
        String cookie = PagesTest.login("rita");
        given().cookie(PageSession.COOKIE, cookie).formParam("verdict", "right").post("/incidents/" + id + "/feedback").then()
                .statusCode(403).body(containsString("csrf: missing"));
        given().cookie(PageSession.COOKIE, cookie).contentType(FORM).post("/incidents/" + id + "/ack").then().statusCode(403)
                .body(containsString("csrf: missing"));
        assertThat(Api.incident(id).get("status").asText()).isEqualTo("open");
    }
}
