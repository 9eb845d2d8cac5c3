package dev.rootcause.api.page;

import dev.rootcause.incident.IncidentLinks;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * {@code GET /login[?next=/incidents/12]}: the login form; {@code POST /login} (form fields {@code name},
 * {@code token}, {@code next}): 303 to {@code next} with the session cookie when the token is the API token, else 401
 * and the form again (400 naming the field for a bad one, 413/415 for a body no form sends: {@link PageForm}); {@code POST /logout}: the cookie cleared, 303 to the form. The token travels in the POST body
 * only; a refused login is logged with the client's address, never with what was typed. With single sign-on
 * configured the form also links {@code /login/oidc} ({@link SsoLoginResource}).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class LoginResource {

    private static final Logger LOG = Logger.getLogger(LoginResource.class);

    private final PageAccess access;
    private final IncidentLinks links;

    LoginResource(PageAccess access, IncidentLinks links) {
        this.access = access;
        this.links = links;
    }

    @GET
    @Path("login")
    public Response form(@QueryParam("next") String next, @Context HttpServerRequest request) {
        String refusal = access.refusal(request);
        if (refusal != null) {
            return Response.status(403).entity(PageTemplates.refused(links.base(), refusal, null)).build();
        }
        return form(200, "", local(next), null);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.WILDCARD) // the body is read by PageForm, which answers another type 415 saying what to send
    public Response login(@HeaderParam("Content-Type") String type, String body, @Context HttpServerRequest request) {
        String refusal = access.formRefusal(request);
        if (refusal != null) {
            return Response.status(403).entity(PageTemplates.refused(links.base(), refusal, links.link("/login"))).build();
        }
        String name;
        String token;
        String next;
        try {
            PageForm form = PageForm.parse(type, body);
            name = form.get("name");
            token = form.get("token");
            next = form.get("next");
        } catch (PageForm.Invalid e) {
            return form(e.status, "", "/incidents", e.getMessage());
        }
        String who = name == null ? "" : name.strip();
        String target = local(next);
        if (who.isEmpty() || who.length() > PageSession.MAX_NAME || who.chars().anyMatch(Character::isISOControl)) {
            return form(400, who, target, "name: give your name (1 to " + PageSession.MAX_NAME
                    + " characters): the timeline records your steps with it.");
        }
        if (!access.tokenMatches(token)) {
            LOG.infof("page login refused from %s: the token does not match rootcause.api.token",
                    request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress());
            return form(401, who, target, "token: that is not the API token (rootcause.api.token).");
        }
        PageSession session = access.login(who);
        return Response.seeOther(URI.create(links.link(target))).cookie(access.cookie(session)).build();
    }

    @POST
    @Path("logout")
    public Response logout() {
        return Response.seeOther(URI.create(links.link("/login"))).cookie(access.logout()).build();
    }

    private Response form(int status, String name, String next, String error) {
        if (!access.sso()) {
            return Response.status(status)
                    .entity(PageTemplates.login(new PageViews.LoginPage(links.base(), access.tokenRequired(), next, name, error, null)))
                    .build();
        }
        // the provider sends the browser back to /login/oidc without the query it left with: next waits in a cookie
        NewCookie after = new NewCookie.Builder(SsoLoginResource.NEXT_COOKIE).value(URLEncoder.encode(next, StandardCharsets.UTF_8))
                .path("/").httpOnly(true).sameSite(NewCookie.SameSite.LAX).maxAge(SsoLoginResource.NEXT_SECONDS).build();
        String sso = links.link("/login/oidc");
        return Response.status(status).cookie(after)
                .entity(PageTemplates.login(new PageViews.LoginPage(links.base(), access.tokenRequired(), next, name, error, sso)))
                .build();
    }

    /** {@code next} when it is a path of this service ({@code /incidents...}), else {@code /incidents}: never another site. */
    static String local(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.length() > 500
                || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return "/incidents";
        }
        return next;
    }
}
