package dev.rootcause.api.page;

import dev.rootcause.api.access.AccessFilter;
import dev.rootcause.api.access.ApiConfig;
import dev.rootcause.incident.IncidentLinks;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who may read and act on the pages. Reading needs a login: the login form takes the API token
 * ({@code rootcause.api.token}) and sets the {@link PageSession} cookie (HttpOnly, SameSite=Lax, Secure when
 * {@code rootcause.external-url} is https); the token is never put in a URL, a cookie or a log. Without an API
 * token the pages, like the API, answer loopback clients only, and the form asks only for a name. With an OpenID
 * Connect provider configured ({@code quarkus.oidc.tenant-enabled=true} and {@code quarkus.oidc.auth-server-url}) people may also log in through it
 * ({@link SsoLoginResource}), from anywhere, holding the roles its token's role claim names. Acting needs a role of the
 * action ({@link PagesConfig.Roles}) and the session's CSRF token in the form.
 */
@ApplicationScoped
public class PageAccess {

    /** Page actions, named as the Discord permissions are. */
    public static final String ACK = "ack";
    public static final String RESOLVE = "resolve";
    public static final String RELOAD = "reload";
    public static final String FEEDBACK = "feedback";

    private final Optional<String> token;
    private final byte[] key;
    private final PagesConfig config;
    private final Clock clock;
    private final boolean secure;
    private final boolean sso;

    PageAccess(ApiConfig api, PagesConfig config, Clock clock, IncidentLinks links,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> oidcServer,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true") boolean oidcEnabled) {
        this.token = api.token().filter(t -> !t.isBlank());
        this.sso = oidcEnabled && oidcServer.filter(u -> !u.isBlank()).isPresent();
        if (!oidcEnabled && oidcServer.filter(u -> !u.isBlank()).isPresent()) {
            org.jboss.logging.Logger.getLogger(PageAccess.class).warn("quarkus.oidc.auth-server-url is set but"
                    + " quarkus.oidc.tenant-enabled is false: single sign-on to the pages is off");
        }
        this.config = config;
        this.clock = clock;
        this.secure = links.base().startsWith("https:");
        String secret = token.orElseGet(() -> {
            byte[] random = new byte[32]; // no token: logins last until the service restarts
            new SecureRandom().nextBytes(random);
            return Base64.getEncoder().encodeToString(random);
        });
        this.key = PageSession.key(secret);
    }

    /** True when logging in takes the API token; false when the pages answer loopback clients only. */
    public boolean tokenRequired() {
        return token.isPresent();
    }

    /** True when people may log in through the OpenID Connect provider ({@code quarkus.oidc.auth-server-url} is set). */
    boolean sso() {
        return sso;
    }

    /**
     * Null when the client may use the pages at all; else why not: no token set, no single sign-on, and not on
     * loopback.
     */
    String refusal(HttpServerRequest request) {
        if (token.isEmpty() && !sso && !AccessFilter.isLoopback(request.remoteAddress())) {
            return "rootcause.api.token is not set, so the pages answer clients on this machine only.";
        }
        return null;
    }

    /** Null when the client may log in with the form; else why not (no token set and not on loopback). */
    String formRefusal(HttpServerRequest request) {
        if (token.isEmpty() && !AccessFilter.isLoopback(request.remoteAddress())) {
            return "rootcause.api.token is not set, so the login form answers clients on this machine only"
                    + (sso ? "; log in with single sign-on." : ".");
        }
        return null;
    }

    /** The request's login, or empty when there is none, it is forged or expired, or the client may not use the pages. */
    Optional<PageSession> session(HttpServerRequest request) {
        if (refusal(request) != null) {
            return Optional.empty();
        }
        var cookie = request.getCookie(PageSession.COOKIE);
        return PageSession.decode(cookie == null ? null : cookie.getValue(), key, clock.instant());
    }

    /** True when the request carries a page login that is still valid (the API document's gate takes it too). */
    public boolean signedIn(HttpServerRequest request) {
        return session(request).isPresent();
    }

    /** True when {@code given} is the API token (constant time); always true when no token is set. */
    boolean tokenMatches(String given) {
        if (token.isEmpty()) {
            return true;
        }
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.get().getBytes(StandardCharsets.UTF_8));
    }

    /** A new login for {@code name}, holding the token roles. */
    PageSession login(String name) {
        return login(name, config.tokenRoles());
    }

    /**
     * A new login for {@code name} holding those of {@code roles} that some action allows ({@link #knownRoles()}): a
     * provider's group list can be long, and the cookie carries only what the pages ask about.
     */
    PageSession login(String name, java.util.Collection<String> roles) {
        Set<String> known = knownRoles();
        List<String> kept = roles.stream().filter(known::contains).sorted().toList();
        return PageSession.start(name, kept, clock.instant().plus(config.sessionTtl()));
    }

    /** Every role name some action allows, plus the token login's. */
    Set<String> knownRoles() {
        Set<String> known = new LinkedHashSet<>(config.tokenRoles());
        for (String action : List.of(ACK, RESOLVE, RELOAD, FEEDBACK)) {
            known.addAll(allowed(action));
        }
        return known;
    }

    /** The cookie carrying a session. */
    NewCookie cookie(PageSession session) {
        return new NewCookie.Builder(PageSession.COOKIE).value(session.encode(key)).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge((int) config.sessionTtl().toSeconds()).build();
    }

    /** The cookie that ends a session. */
    NewCookie logout() {
        return new NewCookie.Builder(PageSession.COOKIE).value("").path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge(0).build();
    }

    /** The session's CSRF token, for its forms. */
    String csrf(PageSession session) {
        return session.csrf(key);
    }

    /** True when a form's CSRF token is the session's. */
    boolean csrfMatches(PageSession session, String given) {
        return session.csrfMatches(key, given);
    }

    /** True when the session holds a role of the action ({@link #ACK}, {@link #RESOLVE}, {@link #RELOAD}, {@link #FEEDBACK}). */
    boolean may(PageSession session, String action) {
        return session.holdsAny(allowed(action));
    }

    /** The roles allowed an action. */
    List<String> allowed(String action) {
        PagesConfig.Roles r = config.roles();
        return switch (action) {
            case ACK -> r.ack();
            case RESOLVE -> r.resolve();
            case RELOAD -> r.reload();
            case FEEDBACK -> r.feedback();
            default -> List.of();
        };
    }
}
