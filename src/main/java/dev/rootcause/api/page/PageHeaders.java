package dev.rootcause.api.page;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Headers of every HTML page (whatever is not under {@code /api/} or {@code /q/}): a Content-Security-Policy that allows no script at all (the pages have none), styles
 * and images from the service itself (charts are {@code data:} images), forms posting back to it only, and no
 * framing; no caching of what a login showed; no referrer to the links' sites.
 */
public class PageHeaders {

    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'";

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        MediaType type = response.getMediaType();
        boolean page = !path.startsWith("/api/") && !path.startsWith("/q/");
        if (page && (type == null || type.isCompatible(MediaType.TEXT_HTML_TYPE))) {
            response.getHeaders().putSingle("Content-Security-Policy", CSP);
            response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
            response.getHeaders().putSingle("Referrer-Policy", "no-referrer");
            response.getHeaders().putSingle("Cache-Control", "no-store");
        }
    }
}
