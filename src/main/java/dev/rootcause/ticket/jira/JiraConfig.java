package dev.rootcause.ticket.jira;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Jira as the ticket tracker ({@code rootcause.tickets.kind=jira}), under {@code rootcause.tickets.jira}. */
@ConfigMapping(prefix = "rootcause.tickets.jira")
public interface JiraConfig {

    /** Jira Data Center (REST API v2, wiki-markup descriptions) or Jira Cloud (REST API v3, ADF descriptions). */
    enum Flavour {
        DATACENTER, CLOUD
    }

    /** Base URL, e.g. {@code https://jira.example.internal} or {@code https://example.atlassian.net}. */
    Optional<URI> url();

    /** {@code datacenter} (default) or {@code cloud}. */
    @WithDefault("datacenter")
    Flavour flavour();

    /**
     * Data Center: a personal access token, sent as {@code Authorization: Bearer}. Cloud: an API token,
     * sent with {@link #email()} as HTTP basic. Never logged.
     */
    Optional<String> token();

    /** Cloud only: the Atlassian account's email that owns {@link #token()}. */
    Optional<String> email();

    /** Project key issues are created in, e.g. {@code OPS}. */
    Optional<String> project();

    /** Issue type name, e.g. {@code Bug}, {@code Incident}. */
    @WithDefault("Bug")
    String issueType();

    /**
     * Priority name per incident severity, e.g. {@code critical=Highest}, {@code warning=Medium}
     * ({@code rootcause.tickets.jira.priority.critical=Highest}). A severity not listed sends no priority
     * (Jira's default applies).
     */
    Map<String, String> priority();

    /** Labels every issue gets, besides {@code rootcause-incident-<id>}. Jira labels may not contain spaces. */
    @WithDefault("rootcause")
    List<String> labels();

    /**
     * Further fields set on create, by field id, e.g. {@code customfield_10010=Platform} or
     * {@code components=[{"name":"checkout"}]}. A value that parses as JSON (object, array, number,
     * quoted string, true/false) is sent as that JSON; anything else as a string.
     */
    Map<String, String> fields();

    /** Name of the workflow transition that closes an issue (Jira Software's default is {@code Done}). */
    @WithDefault("Done")
    String closeTransition();

    /** Name of the workflow transition that reopens a closed issue. */
    @WithDefault("Reopen")
    String reopenTransition();

    /** Connect and read timeout per request. */
    @WithDefault("10s")
    Duration timeout();

    /**
     * Before creating again after an attempt whose outcome is unknown, the label search is repeated up
     * to this many extra times when it finds nothing: Cloud's {@code /rest/api/3/search/jql} is
     * eventually consistent, so a just-created issue may not be found at once. Data Center's search
     * is consistent and is asked once.
     */
    @WithDefault("4")
    int searchRetries();

    /** Wait before the first repeated search; doubled for each further one (4 retries at 1s: 15 s in all). */
    @WithDefault("1s")
    Duration searchBackoff();
}
