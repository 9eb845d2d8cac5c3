package dev.rootcause.api.access;

import static dev.rootcause.Payloads.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import dev.rootcause.api.page.PageSession;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(TokenAccessTest.Tokens.class)
class TokenAccessTest {

    public static class Tokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rootcause.intake.token", "intake-secret", "rootcause.api.token", "api-secret");
        }
    }

    @Test
    void intakeNeedsTheIntakeToken() {
        String body = unique("alertmanager-firing-2-alerts.json").toString();
        given().contentType(ContentType.JSON).body(body).post("/api/v1/alerts/alertmanager")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .body("error", containsString("rootcause.intake.token"));
        given().auth().oauth2("api-secret").contentType(ContentType.JSON).body(body).post("/api/v1/alerts/alertmanager")
                .then().statusCode(401);
        given().auth().oauth2("intake-secret").contentType(ContentType.JSON).body(body).post("/api/v1/alerts/grafana")
                .then().statusCode(202);
    }

    @Test
    void apiNeedsTheApiToken() {
        given().get("/api/v1/incidents").then().statusCode(401).body("error", containsString("rootcause.api.token"));
        given().auth().oauth2("intake-secret").get("/api/v1/incidents").then().statusCode(401);
        given().auth().oauth2("api-secret").get("/api/v1/incidents").then().statusCode(200);
        given().header("Authorization", "bearer api-secret").get("/api/v1/incidents").then().statusCode(200);
    }

    @Test
    void apiDocumentAndSwaggerUiNeedTheApiTokenOrAPageLogin() {
        given().get("/q/openapi").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .body("error", containsString("rootcause.api.token"));
        given().auth().oauth2("intake-secret").get("/q/openapi.json").then().statusCode(401);
        given().auth().oauth2("api-secret").get("/q/openapi?format=json").then().statusCode(200).body("info.title", equalTo("rootcause API"));
        given().redirects().follow(false).get("/q/swagger-ui/").then().statusCode(303)
                .header("Location", endsWith("/login?next=%2Fq%2Fswagger-ui%2F"));
        given().redirects().follow(false).cookie(PageSession.COOKIE, "forged.cookie").get("/q/swagger-ui/index.html").then().statusCode(303);
        String cookie = given().redirects().follow(false).formParam("name", "alice").formParam("token", "api-secret")
                .formParam("next", "/q/swagger-ui/").post("/login").then().statusCode(303).header("Location", endsWith("/q/swagger-ui/"))
                .extract().cookie(PageSession.COOKIE);
        given().cookie(PageSession.COOKIE, cookie).get("/q/swagger-ui/").then().statusCode(200).contentType(containsString("html"));
        given().cookie(PageSession.COOKIE, cookie).get("/q/openapi").then().statusCode(200);
    }

    @Test
    void healthAndMetricsStayOpen() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
    }
}
