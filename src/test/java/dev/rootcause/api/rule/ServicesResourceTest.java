package dev.rootcause.api.rule;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/services}: the catalogue in force, as operators and other helpers read it. */
@QuarkusTest
class ServicesResourceTest {

    @Test
    void listsTheCatalogue() {
        given().get("/api/v1/services").then().statusCode(200)
                .body("errors", empty())
                .body("services.name", contains("checkout", "search"))
                .body("services[0].owner", equalTo("team-payments"))
                .body("services[0].oncallRole", equalTo("112233445566778899"))
                .body("services[0].labels.job", equalTo("checkout-api"))
                .body("services[0].dependencies[0].name", equalTo("auth"))
                .body("services[0].dependencies[0].health", equalTo("http://127.0.0.1:1/health?deep=1"))
                .body("services[0].dependencies[0].timeoutMillis", equalTo(1500))
                .body("services[0].dependencies[0].retries", equalTo(2))
                .body("services[1].labels.service", equalTo("search"))
                .body("services[1].oncallRole", nullValue())
                .body("services[1].dependencies", empty());
    }
}
