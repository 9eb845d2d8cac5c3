package dev.rootcause.source.alertmanager;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The Alertmanager silences are created in, under {@code rootcause.sources.alertmanager}. Only this URL
 * is ever used: never the {@code externalURL} a webhook payload names (anyone who can post a webhook
 * could point it elsewhere).
 */
@ConfigMapping(prefix = "rootcause.sources.alertmanager")
public interface AlertmanagerConfig {

    /** Base URL, e.g. {@code http://alertmanager:9093}; unset: silencing from chat is refused. */
    Optional<URI> url();

    /** Connect and read timeout. */
    @WithDefault("5s")
    Duration timeout();
}
