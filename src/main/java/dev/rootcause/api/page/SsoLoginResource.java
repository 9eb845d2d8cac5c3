package dev.rootcause.api.page;

import dev.rootcause.incident.IncidentLinks;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * {@code GET /login/oidc[?next=/incidents/12]}: logging in to the pages through the OpenID Connect provider set in
 * {@code quarkus.oidc.*} (Quarkus' OIDC extension, authorization code flow). The path is the only one Quarkus' security
 * guards ({@code quarkus.http.auth.permission.pages-sso}): a browser without the provider's session is sent to the
 * provider, comes back with a code that Quarkus exchanges for tokens, and then reaches this method, which turns the
 * identity into a page session (the same signed cookie as the token form's): the name is the token's principal
 * ({@code preferred_username}, else {@code upn}, else {@code sub}), the roles those Quarkus read from the claim named by
 * {@code quarkus.oidc.roles.role-claim-path}, kept when some {@code rootcause.pages.roles.*} names them. 303 to
 * {@code next}: the query's, else the {@link #NEXT_COOKIE} cookie the login form set (the provider sends the browser
 * back without the query it left with), else {@code /incidents}; 404 when no provider is configured.
 */
@Path("/login/oidc")
@Produces(MediaType.TEXT_HTML)
public class SsoLoginResource {

    private static final Logger LOG = Logger.getLogger(SsoLoginResource.class);

    private final PageAccess access;
    private final IncidentLinks links;
    private final SecurityIdentity identity;

    SsoLoginResource(PageAccess access, IncidentLinks links, SecurityIdentity identity) {
        this.access = access;
        this.links = links;
        this.identity = identity;
    }

    /** Where the login form keeps {@code next} while the browser visits the provider (URL-encoded, a local path). */
    static final String NEXT_COOKIE = "rootcause_next";
    /** How long {@link #NEXT_COOKIE} lasts, seconds: a login at the provider takes a minute or two. */
    static final int NEXT_SECONDS = 900;

    @GET
    public Response login(@QueryParam("next") String query, @CookieParam(NEXT_COOKIE) String kept) {
        String next = query != null ? query : kept == null ? null : URLDecoder.decode(kept, StandardCharsets.UTF_8);
        if (!access.sso()) {
            return Response.status(404).entity(PageTemplates.refused(links.base(), "Single sign-on is not configured"
                    + " (quarkus.oidc.auth-server-url); log in with the API token.", links.link("/login"))).build();
        }
        if (identity.isAnonymous()) { // the permission makes Quarkus authenticate first; never reached unless misconfigured
            return Response.status(401).entity(PageTemplates.refused(links.base(), "The single sign-on provider did not say"
                    + " who you are.", links.link("/login"))).build();
        }
        String name = name(identity.getPrincipal().getName());
        if (name.isEmpty()) {
            return Response.status(403).entity(PageTemplates.refused(links.base(), "The single sign-on token names nobody"
                    + " (no preferred_username, upn or sub claim).", links.link("/login"))).build();
        }
        PageSession session = access.login(name, identity.getRoles());
        LOG.infof("page login by %s through single sign-on, roles %s", name, session.roles());
        NewCookie used = new NewCookie.Builder(NEXT_COOKIE).value("").path("/").httpOnly(true).maxAge(0).build();
        return Response.seeOther(URI.create(links.link(LoginResource.local(next)))).cookie(access.cookie(session), used).build();
    }

    /** The principal's name as the timeline shows it: control characters dropped, at most {@link PageSession#MAX_NAME}. */
    static String name(String principal) {
        String clean = principal == null ? "" : principal.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        return clean.length() > PageSession.MAX_NAME ? clean.substring(0, PageSession.MAX_NAME) : clean;
    }
}
