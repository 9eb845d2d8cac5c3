package dev.rootcause.api.access;

import dev.rootcause.alert.IntakeConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Bearer-token access to {@code /api/v1}: intake paths ({@code /api/v1/alerts/*}, {@code /api/v1/changes[/*]}, so a
 * CI job posts a change and gates on its verification with one token)
 * take {@code rootcause.intake.token}, every other API path {@code rootcause.api.token}. Where a token
 * is not configured, that part answers loopback clients only. {@code /q/health} and {@code /q/metrics}
 * stay open for probes and scrapers. {@code /api/v1/changes/github} and {@code /api/v1/changes/gitlab} check their own
 * secret ({@code X-Hub-Signature-256}, {@code X-Gitlab-Token}: the senders cannot send a bearer token) when
 * {@code rootcause.changes.hooks.github.secret} / {@code .gitlab.token} is set, and are intake paths otherwise.
 */
@ApplicationScoped
public class AccessFilter {

    private static final Logger LOG = Logger.getLogger(AccessFilter.class);
    /** After body-size checks, before the REST layer. */
    private static final int ROUTE_ORDER = -100;

    private final Optional<String> intakeToken;
    private final Optional<String> apiToken;

    private final boolean githubSigned;
    private final boolean gitlabSigned;

    AccessFilter(IntakeConfig intake, ApiConfig api, dev.rootcause.changes.hooks.HooksConfig hooks) {
        this.intakeToken = intake.token().filter(t -> !t.isBlank());
        this.apiToken = api.token().filter(t -> !t.isBlank());
        this.githubSigned = hooks.github().secret().filter(t -> !t.isBlank()).isPresent();
        this.gitlabSigned = hooks.gitlab().token().filter(t -> !t.isBlank()).isPresent();
    }

    void logAtStart(@Observes StartupEvent event) {
        if (intakeToken.isEmpty()) {
            LOG.warn("rootcause.intake.token is not set: intake (/api/v1/alerts/*) answers loopback clients only");
        }
        if (apiToken.isEmpty()) {
            LOG.warn("rootcause.api.token is not set: the API (/api/v1/incidents ...) answers loopback clients only");
        }
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(ROUTE_ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (githubSigned && path.equals("/api/v1/changes/github") || gitlabSigned && path.equals("/api/v1/changes/gitlab")) {
            ctx.next(); // the resource checks the sender's signature or token
            return;
        }
        boolean intake = path.startsWith("/api/v1/alerts/") || path.equals("/api/v1/changes") || path.startsWith("/api/v1/changes/");
        Optional<String> token = intake ? intakeToken : apiToken;
        String setting = intake ? "rootcause.intake.token" : "rootcause.api.token";
        if (token.isEmpty()) {
            if (isLoopback(ctx.request().remoteAddress())) {
                ctx.next();
            } else {
                deny(ctx, 403, setting + " is not set, so this endpoint answers loopback clients only");
            }
            return;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            deny(ctx, 401, "missing bearer token (Authorization: Bearer <" + setting + ">)");
        } else if (!constantTimeEquals(header.substring(7).trim(), token.get())) {
            deny(ctx, 401, "bearer token does not match " + setting);
        } else {
            ctx.next();
        }
    }

    private static void deny(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"rootcause\"");
        }
        ctx.response().end("{\"error\":\"" + message + "\"}");
    }

    /** True when the client is on this machine (an IP literal that is a loopback address). */
    public static boolean isLoopback(SocketAddress remote) {
        if (remote == null || remote.hostAddress() == null) {
            return false;
        }
        try {
            // hostAddress() is an IP literal: getByName parses it without a DNS lookup.
            return InetAddress.getByName(remote.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean constantTimeEquals(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
