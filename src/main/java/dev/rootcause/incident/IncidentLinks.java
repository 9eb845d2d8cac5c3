package dev.rootcause.incident;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Links to the incident pages, as chat messages and tickets carry them. With {@code rootcause.external-url}
 * (the address people reach the service at, e.g. {@code https://rootcause.example.com}, optionally with a
 * path prefix) every link is absolute; without it links are paths ({@code /incidents/12}), which only the
 * pages themselves can use, so chat and tickets leave them out.
 */
@ApplicationScoped
public class IncidentLinks {

    /** The setting's name, for messages. */
    public static final String SETTING = "rootcause.external-url";

    private final String base;

    IncidentLinks(@ConfigProperty(name = SETTING) Optional<String> externalUrl) {
        this.base = externalUrl.filter(u -> !u.isBlank()).map(IncidentLinks::checked).orElse("");
    }

    /**
     * Links for an external URL given directly (tests, tools): the same checks as the setting's.
     *
     * @param externalUrl the external URL, or null for path links
     */
    public static IncidentLinks of(String externalUrl) {
        return new IncidentLinks(Optional.ofNullable(externalUrl));
    }

    /**
     * @throws IllegalArgumentException when the setting is not an absolute http(s) URL (the service does not start)
     */
    static String checked(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SETTING + ": not a URL: \"" + url + '"', e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException(SETTING + ": expected an absolute http(s) URL without query or fragment,"
                    + " like https://rootcause.example.com; got \"" + url + '"');
        }
        return uri.toString().replaceAll("/+$", "");
    }

    /** True when links are absolute ({@value #SETTING} is set). */
    public boolean absolute() {
        return !base.isEmpty();
    }

    /** The external URL without a trailing slash, or empty when unset. */
    public String base() {
        return base;
    }

    /** {@code <external-url>/incidents/<id>}, or {@code /incidents/<id>} without the setting. */
    public String incident(long id) {
        return link("/incidents/" + id);
    }

    /** The incident page's URL when it is absolute, for chat and tickets. */
    public Optional<String> absoluteIncident(long id) {
        return absolute() ? Optional.of(incident(id)) : Optional.empty();
    }

    /** A path of the service ({@code /incidents?status=open}) made absolute when the setting is set. */
    public String link(String path) {
        return base + path;
    }
}
