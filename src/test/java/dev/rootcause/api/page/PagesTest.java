package dev.rootcause.api.page;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.source.metrics.PrometheusWireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The incident pages over HTTP as a browser uses them: login and its redirect, the session cookie, escaping of hostile
 * alert text, the CSRF token and the roles of each action, and verdicts counted per rule.
 */
@QuarkusTest
@TestProfile(PagesTest.Profile.class)
@QuarkusTestResource(value = PrometheusWireMock.class, restrictToAnnotatedClass = true)
class PagesTest {

    static final String TOKEN = "page-test-token-9c1e";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // resolving needs a role the token's login does not hold: the permission check shows
            return Map.of("rootcause.api.token", TOKEN, "rootcause.pages.roles.resolve", "admin");
        }
    }

    @BeforeAll
    static void apiClientsCarryTheToken() {
        RestAssured.filters((request, response, ctx) -> {
            request.header("Authorization", "Bearer " + TOKEN);
            return ctx.next(request, response);
        });
    }

    @AfterAll
    static void reset() {
        RestAssured.replaceFiltersWith(java.util.List.of());
    }

    /** Logs in through the form and returns the session cookie's value. */
    static String login(String name) {
        Response r = given().redirects().follow(false).formParam("name", name).formParam("token", TOKEN)
                .formParam("next", "/incidents").post("/login");
        r.then().statusCode(303).header("Location", endsWith("/incidents"))
                .header("Set-Cookie", containsString("HttpOnly")).header("Set-Cookie", containsString("SameSite=Lax"));
        return r.getCookie(PageSession.COOKIE);
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a form with a CSRF token in:\n%s", html).isTrue();
        return m.group(1);
    }

    @Test
    void rootAndPagesLeadToTheLoginForm() {
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", endsWith("/incidents"));
        given().redirects().follow(false).get("/incidents/12?x=1").then().statusCode(303)
                .header("Location", endsWith("/login?next=%2Fincidents%2F12%3Fx%3D1"));
        given().redirects().follow(false).cookie(PageSession.COOKIE, "forged.cookie").get("/incidents").then().statusCode(303);
        given().get("/login?next=//evil.example/x").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("name=\"next\" value=\"/incidents\"")).body(containsString("type=\"password\""))
                .header("Content-Security-Policy", containsString("default-src 'none'"));
    }

    @Test
    void loginTakesTheApiTokenOnly() {
        String typed = "not-the-token-<b>x</b>";
        given().formParam("name", "eve").formParam("token", typed).post("/login").then().statusCode(401)
                .body(containsString("that is not the API token")).body(not(containsString(typed)))
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        given().formParam("name", " ").formParam("token", TOKEN).post("/login").then().statusCode(400)
                .body(containsString("name: give your name"));
        String cookie = login("alice");
        assertThat(cookie).doesNotContain(TOKEN);
        given().cookie(PageSession.COOKIE, cookie).get("/incidents").then().statusCode(200).body(containsString("alice"));
        given().cookie(PageSession.COOKIE, cookie + "x").redirects().follow(false).get("/incidents").then().statusCode(303);
        given().cookie(PageSession.COOKIE, cookie).get("/incidents?status=bogus").then().statusCode(400)
                .body(containsString("status: expected"));
        given().cookie(PageSession.COOKIE, cookie).get("/incidents/abc").then().statusCode(400);
        given().cookie(PageSession.COOKIE, cookie).get("/incidents/999999999").then().statusCode(404);
    }

    @Test
    void hostileAlertTextIsEscapedAndDangerousLinksDropped() {
        JsonNode incident = CacheIncidents.diagnosed(body -> {
            ObjectNode second = ((ObjectNode) body.at("/alerts/0")).deepCopy();
            ((ObjectNode) second.get("labels")).put("pod", "<script>alert('pod')</script>");
            second.put("fingerprint", "f00dfeedf00dfeed").put("generatorURL", "javascript:alert(1)");
            ((ObjectNode) body.at("/alerts/0/labels")).put("pod", "checkout-1");
            ((com.fasterxml.jackson.databind.node.ArrayNode) body.get("alerts")).add(second);
            ((ObjectNode) body.get("commonAnnotations")).put("summary", "Cache <img src=x onerror=alert(2)> low");
        });
        long id = incident.get("id").asLong();
        String html = given().cookie(PageSession.COOKIE, login("bob")).get("/incidents/" + id).then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .extract().asString();
        assertThat(html).doesNotContain("<script>").doesNotContain("<img src=x").doesNotContain("javascript:")
                .contains("&lt;script&gt;alert(&#39;pod&#39;)&lt;/script&gt;").contains("Cache &lt;img src=x onerror=alert(2)&gt; low")
                .contains("<th>pod</th>") // the label that tells the group's two alerts apart
                .contains("Cache hit ratio of cache-a collapsed") // the report's headline
                .contains("src=\"data:image/png;base64,"); // the chart
    }

    @Test
    void actingNeedsTheFormsCsrfTokenAndARoleOfTheAction() {
        long id = CacheIncidents.diagnosed(b -> { }).get("id").asLong();
        String cookie = login("carol");
        String html = given().cookie(PageSession.COOKIE, cookie).get("/incidents/" + id).then().statusCode(200).extract().asString();
        assertThat(html).contains("id=\"ack\"").doesNotContain("id=\"resolve\"");
        String csrf = csrf(html);
        given().cookie(PageSession.COOKIE, cookie).formParam("csrf", "wrong").post("/incidents/" + id + "/ack").then().statusCode(403)
                .body(containsString("out of date"));
        given().cookie(PageSession.COOKIE, login("mallory")).formParam("csrf", csrf).post("/incidents/" + id + "/ack")
                .then().statusCode(403); // another login's token
        given().formParam("csrf", csrf).redirects().follow(false).post("/incidents/" + id + "/ack").then().statusCode(303)
                .header("Location", containsString("/login"));
        given().cookie(PageSession.COOKIE, cookie).formParam("csrf", csrf).redirects().follow(false).post("/incidents/" + id + "/ack")
                .then().statusCode(303).header("Location", endsWith("/incidents/" + id + "?done=ack"));
        assertThat(Api.incident(id).get("acknowledgedBy").asText()).isEqualTo("carol");
        given().cookie(PageSession.COOKIE, cookie).formParam("csrf", csrf).post("/incidents/" + id + "/resolve").then().statusCode(403)
                .body(containsString("roles allowed to resolve (admin)"));
        assertThat(Api.incident(id).get("status").asText()).isEqualTo("acknowledged");
        assertThat(Api.incident(id).get("timeline").toString()).contains("carol may not resolve from the pages");
        given().cookie(PageSession.COOKIE, cookie).get("/incidents/" + id + "?done=ack").then().statusCode(200)
                .body(containsString("Acknowledged.")).body(containsString("acknowledged by carol"));
    }

    @Test
    void verdictsAreStoredShownAndCountedPerRule() throws Exception {
        JsonNode before = Api.read(given().get("/api/v1/stats").then().statusCode(200).extract().asString());
        long right = CacheIncidents.diagnosed(b -> { }).get("id").asLong();
        long wrong = CacheIncidents.diagnosed(b -> { }).get("id").asLong();
        CacheIncidents.diagnosed(b -> { }); // not judged
        String cookie = login("dave");
        String csrf = csrf(given().cookie(PageSession.COOKIE, cookie).get("/incidents/" + right).then().extract().asString());
        given().cookie(PageSession.COOKIE, cookie).formParam("csrf", csrf).formParam("verdict", "right").redirects().follow(false)
                .post("/incidents/" + right + "/feedback").then().statusCode(303);
        given().cookie(PageSession.COOKIE, cookie).formParam("csrf", csrf).formParam("verdict", "wrong").formParam("actual", " ")
                .post("/incidents/" + wrong + "/feedback").then().statusCode(400).body(containsString("actual: say what"));
        given().cookie(PageSession.COOKIE, cookie).formParam("csrf", csrf).formParam("verdict", "maybe")
                .post("/incidents/" + wrong + "/feedback").then().statusCode(400);
        given().cookie(PageSession.COOKIE, cookie).formParam("csrf", csrf).formParam("verdict", "wrong")
                .formParam("actual", "a <bad> deploy of cache-a").redirects().follow(false)
                .post("/incidents/" + wrong + "/feedback").then().statusCode(303);

        String page = given().cookie(PageSession.COOKIE, cookie).get("/incidents/" + wrong).then().statusCode(200).extract().asString();
        assertThat(page).contains("Marked <b>wrong</b> by dave").contains("actual: <q>a &lt;bad&gt; deploy of cache-a</q>")
                .contains("/incidents/" + wrong + "/rule-test.zip");
        byte[] zip = given().cookie(PageSession.COOKIE, cookie).get("/incidents/" + wrong + "/rule-test.zip").then().statusCode(200)
                .contentType("application/zip").extract().asByteArray();
        String expected = entry(zip, "incident-" + wrong + "/expected.yaml");
        assertThat(expected).startsWith("# A responder (dave, ")
                .contains("# Actual cause, in their words: a <bad> deploy of cache-a").contains("finding: \"cache-penetration\"");
        exportRunsAsARuleTest(zip, wrong, expected);
        assertThat(Api.incident(right).get("timeline").toString()).contains("root cause marked right by dave");
        JsonNode verdict = Api.incident(wrong).get("feedback");
        assertThat(verdict.get("verdict").asText()).isEqualTo("wrong");
        assertThat(verdict.get("actual").asText()).isEqualTo("a <bad> deploy of cache-a");
        assertThat(verdict.get("rule").asText()).isEqualTo("cache-hit-rate");
        assertThat(verdict.get("cause").asText()).isEqualTo(Api.incident(wrong).at("/rootCause/summary").asText());
        assertThat(verdict.get("by").asText()).isEqualTo("dave");
        assertThat(verdict.get("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(Api.incident(right).at("/feedback/verdict").asText()).isEqualTo("right");
        assertThat(Api.incident(right).at("/feedback/actual").isNull()).isTrue();

        JsonNode after = Api.read(given().get("/api/v1/stats").then().statusCode(200).extract().asString());
        assertThat(count(after, "right") - count(before, "right")).isEqualTo(1);
        assertThat(count(after, "wrong") - count(before, "wrong")).isEqualTo(1);
        assertThat(count(after, "notJudged") - count(before, "notJudged")).isEqualTo(1);
        given().cookie(PageSession.COOKIE, cookie).get("/incidents").then().statusCode(200)
                .body(containsString("Root causes as responders judged them")).body(containsString("<td>cache-hit-rate</td>"));
    }

    /**
     * The wrong verdict's export is a rule test as it comes (the expectation still what rootcause concluded, so it
     * passes); once the responder corrects the expectation to the actual cause (here: no root cause of the cache rule)
     * it fails until the rule is fixed, saying what differs: a regression test to commit with the fix.
     */
    private static void exportRunsAsARuleTest(byte[] zip, long id, String expected) throws Exception {
        java.nio.file.Path rules = java.nio.file.Files.createTempDirectory("rootcause-export-");
        try (var shipped = java.nio.file.Files.list(java.nio.file.Path.of("rules"))) {
            for (java.nio.file.Path f : shipped.filter(java.nio.file.Files::isRegularFile).toList()) {
                java.nio.file.Files.copy(f, rules.resolve(f.getFileName()));
            }
        }
        java.nio.file.Path test = java.nio.file.Files.createDirectories(rules.resolve("tests/incident-" + id));
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                java.nio.file.Files.write(test.resolve(java.nio.file.Path.of(e.getName()).getFileName()), in.readAllBytes());
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        var runner = new dev.rootcause.ruletest.RuleTestRunner(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(runner.run(rules)).as("as exported:\n%s", out).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("PASS tests/incident-" + id);

        String corrected = expected.replaceAll("(?s)rootCause:.*?\n(?=findings:)", "rootCause: null\n");
        assertThat(corrected).contains("rootCause: null\n");
        java.nio.file.Files.writeString(test.resolve("expected.yaml"), corrected);
        out.reset();
        assertThat(runner.run(rules)).as("corrected:\n%s", out).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAIL tests/incident-" + id + ": root cause: expected none");
    }

    private static long count(JsonNode stats, String field) {
        for (JsonNode rule : stats.get("feedback")) {
            if ("cache-hit-rate".equals(rule.path("rule").asText())) {
                return rule.get(field).asLong();
            }
        }
        return 0;
    }

    private static String entry(byte[] zip, String name) throws Exception {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no " + name + " in the zip");
    }
}
