package dev.rootcause.api.page;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.rootcause.Api;
import dev.rootcause.source.metrics.PrometheusWireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on to the pages through an OpenID Connect provider: Quarkus' mock provider
 * ({@link OidcWiremockTestResource}: discovery, keys, a login page that redirects back with a code, a token endpoint
 * answering alice's signed ID token with the claim {@code groups: [user, admin]}) and the authorization code flow walked
 * request by request as a browser does. The roles come from the {@code groups} claim
 * ({@code quarkus.oidc.roles.role-claim-path}); the token form stays.
 */
@QuarkusTest
@TestProfile(PagesSsoTest.Profile.class)
@QuarkusTestResource(value = OidcWiremockTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PrometheusWireMock.class, restrictToAnnotatedClass = true)
class PagesSsoTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("rootcause.api.token", PagesTest.TOKEN), Map.entry("quarkus.oidc.tenant-enabled", "true"),
                    Map.entry("quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus/"),
                    Map.entry("quarkus.oidc.client-id", "rootcause-pages"),
                    Map.entry("quarkus.oidc.credentials.secret", "secret"),
                    Map.entry("quarkus.oidc.roles.role-claim-path", "groups"),
                    // the provider's groups mapped onto the pages' actions: admin may acknowledge, user may judge,
                    // nobody in the provider is an ops-lead, so resolving is refused
                    Map.entry("rootcause.pages.roles.ack", "admin"), Map.entry("rootcause.pages.roles.feedback", "user"),
                    Map.entry("rootcause.pages.roles.resolve", "ops-lead"), Map.entry("rootcause.pages.roles.reload", "ops-lead"));
        }
    }

    @BeforeAll
    static void apiClientsCarryTheToken() {
        PagesTest.apiClientsCarryTheToken();
    }

    @AfterAll
    static void reset() {
        PagesTest.reset();
    }

    @Test
    void aPersonLogsInThroughTheProviderAndActsWithTheRolesOfItsClaim() {
        long id = CacheIncidents.diagnosed(b -> { }).get("id").asLong();
        Response shown = given().get("/login?next=/incidents/" + id);
        assertThat(shown.then().statusCode(200).extract().asString()).contains("type=\"password\"").as("the token form stays")
                .contains("href=\"/login/oidc\"");
        assertThat(shown.getCookie(SsoLoginResource.NEXT_COOKIE)).as("next waits in a cookie").isEqualTo("%2Fincidents%2F" + id);

        String cookie = signIn("/login/oidc", Map.of(SsoLoginResource.NEXT_COOKIE, shown.getCookie(SsoLoginResource.NEXT_COOKIE)),
                "/incidents/" + id);
        String page = given().cookie(PageSession.COOKIE, cookie).get("/incidents/" + id).then().statusCode(200).extract().asString();
        assertThat(page).contains("alice").contains("id=\"ack\"").as("ops-lead only").doesNotContain("id=\"resolve\"")
                .contains("value=\"wrong\"");
        String csrf = PagesTest.csrf(page);
        given().cookie(PageSession.COOKIE, cookie).formParam("csrf", csrf).redirects().follow(false)
                .post("/incidents/" + id + "/ack").then().statusCode(303);
        assertThat(Api.incident(id).get("acknowledgedBy").asText()).isEqualTo("alice");
        given().cookie(PageSession.COOKIE, cookie).formParam("csrf", csrf).post("/incidents/" + id + "/resolve").then()
                .statusCode(403).body(containsString("roles allowed to resolve (ops-lead)"));
        assertThat(Api.incident(id).get("status").asText()).isEqualTo("acknowledged");

        // the token login is still there, with its own roles
        String tokenLogin = PagesTest.login("bob");
        assertThat(given().cookie(PageSession.COOKIE, tokenLogin).get("/incidents/" + id).then().statusCode(200).extract().asString())
                .contains("bob");
    }

    @Test
    void withoutTheProvidersSessionTheLoginPathSendsTheBrowserToTheProvider() {
        Response challenge = given().redirects().follow(false).get("/login/oidc");
        challenge.then().statusCode(302);
        URI to = URI.create(challenge.getHeader("Location"));
        assertThat(to.getPath()).isEqualTo("/auth/realms/quarkus");
        Map<String, String> query = query(to);
        assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", "rootcause-pages");
        assertThat(query.get("redirect_uri")).endsWith("/login/oidc");
        assertThat(challenge.getCookies().keySet()).anyMatch(k -> k.startsWith("q_auth"));
        // the rest of the pages and the API never ask the provider
        given().redirects().follow(false).get("/incidents").then().statusCode(303).header("Location", containsString("/login?next="));
        given().get("/api/v1/stats").then().statusCode(200);
    }

    /**
     * Walks the authorization code flow from {@code start} as a browser: to the provider, its login (which answers a
     * redirect with a code), back to the service (Quarkus exchanges the code), back to {@code /login/oidc}, which sets
     * the page session and sends to {@code expectedNext}. Returns the page session cookie.
     */
    private static String signIn(String start, Map<String, String> browserCookies, String expectedNext) {
        Map<String, String> cookies = new HashMap<>(browserCookies);
        Response r = given().redirects().follow(false).cookies(cookies).get(start);
        cookies.putAll(r.getCookies());
        Map<String, String> auth = query(URI.create(r.getHeader("Location")));
        String provider = URI.create(r.getHeader("Location")).resolve("/login").toString();
        Response login = given().redirects().follow(false).urlEncodingEnabled(false)
                .get(provider + "?redirect_uri=" + enc(auth.get("redirect_uri")) + "&state=" + enc(auth.get("state")));
        String back = login.getHeader("Location");
        assertThat(back).contains("code=");
        for (int hop = 0; hop < 4; hop++) {
            Response next = RestAssured.given().redirects().follow(false).cookies(cookies).urlEncodingEnabled(false).get(back);
            cookies.putAll(next.getCookies());
            if (next.getCookie(PageSession.COOKIE) != null) {
                next.then().statusCode(303);
                assertThat(next.getHeader("Location")).endsWith(expectedNext);
                return next.getCookie(PageSession.COOKIE);
            }
            assertThat(next.statusCode()).as("hop %d to %s: %s", hop, back, next.asString()).isIn(302, 303);
            back = next.getHeader("Location");
        }
        throw new AssertionError("no page session after the provider's redirects; cookies " + cookies.keySet());
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
