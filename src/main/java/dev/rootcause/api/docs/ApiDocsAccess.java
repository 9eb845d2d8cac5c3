package dev.rootcause.api.docs;

import dev.rootcause.api.access.AccessFilter;
import dev.rootcause.api.access.ApiConfig;
import dev.rootcause.api.page.PageAccess;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The API document ({@code /q/openapi}, {@code .json}, {@code .yaml}) and Swagger UI ({@code /q/swagger-ui/}) take
 * the API token as {@code /api/v1} does: {@code Authorization: Bearer <rootcause.api.token>}, or a login on the
 * incident pages (a browser cannot send the header, and Swagger UI fetches the document with the page's cookie).
 * Without a token set they answer loopback clients only (403 for others), so a developer's {@code quarkus:dev} on
 * this machine opens them without one. Refusals: Swagger UI answers 303 to {@code /login?next=/q/swagger-ui/}; the
 * document 401 {@code {"error": ...}} with {@code WWW-Authenticate: Bearer realm="rootcause"}, as the API does.
 */
@ApplicationScoped
public class ApiDocsAccess {

    /** Before Quarkus' own handlers of these paths, as {@link AccessFilter} is before the REST layer. */
    private static final int ROUTE_ORDER = -100;
    static final String UI = "/q/swagger-ui";

    private final Optional<String> token;
    private final PageAccess pages;

    ApiDocsAccess(ApiConfig api, PageAccess pages) {
        this.token = api.token().filter(t -> !t.isBlank());
        this.pages = pages;
    }

    void install(@Observes Router router) {
        router.route("/q/openapi*").order(ROUTE_ORDER).handler(this::check);
        router.route(UI + "*").order(ROUTE_ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        if (token.isEmpty()) {
            if (AccessFilter.isLoopback(ctx.request().remoteAddress())) {
                ctx.next();
            } else {
                json(ctx, 403, "rootcause.api.token is not set, so the API document answers loopback clients only");
            }
            return;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
        if (bearer && matches(header.substring(7).trim())) {
            ctx.next();
        } else if (!bearer && pages.signedIn(ctx.request())) {
            ctx.next();
        } else if (!bearer && ctx.normalizedPath().startsWith(UI)) {
            ctx.response().setStatusCode(303)
                    .putHeader(HttpHeaders.LOCATION, "/login?next=" + URLEncoder.encode(UI + "/", StandardCharsets.UTF_8)).end();
        } else {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"rootcause\"");
            json(ctx, 401, bearer ? "bearer token does not match rootcause.api.token"
                    : "missing bearer token (Authorization: Bearer <rootcause.api.token>) or a login at /login");
        }
    }

    private boolean matches(String given) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.get().getBytes(StandardCharsets.UTF_8));
    }

    private static void json(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end("{\"error\":\"" + message + "\"}");
    }
}
