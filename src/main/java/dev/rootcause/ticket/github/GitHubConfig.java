package dev.rootcause.ticket.github;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** GitHub Issues as the ticket tracker ({@code rootcause.tickets.kind=github}), under {@code rootcause.tickets.github}. */
@ConfigMapping(prefix = "rootcause.tickets.github")
public interface GitHubConfig {

    /** API base URL; GitHub Enterprise Server: {@code https://HOST/api/v3}. */
    @WithDefault("https://api.github.com")
    URI url();

    /** {@code owner/name} of the repository issues are opened in. */
    Optional<String> repository();

    /** A token with {@code issues: write}; sent as a bearer token, never logged. */
    Optional<String> token();

    /** Labels every issue gets, besides {@code rootcause-incident-<id>}. */
    @WithDefault("rootcause")
    List<String> labels();

    /** Connect and read timeout per request. */
    @WithDefault("10s")
    Duration timeout();
}
