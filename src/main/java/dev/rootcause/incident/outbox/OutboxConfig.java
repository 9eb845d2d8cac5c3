package dev.rootcause.incident.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Delivery of effects (tickets, chat posts), under {@code rootcause.outbox}. */
@ConfigMapping(prefix = "rootcause.outbox")
public interface OutboxConfig {

    /** How long an effect is retried before it is moved to {@code dead} (listed, retryable by hand). */
    @WithDefault("24h")
    Duration horizon();

    /** Wait after the first failure; doubled after each further failure, with ±25 % jitter. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** The longest wait between two attempts. */
    @WithDefault("10m")
    Duration maxBackoff();

    /**
     * How long a dispatcher holds a claimed effect. Longer than the slowest delivery (a tracker's
     * timeout times the calls of one effect, plus Jira Cloud's search retries); after it, a crashed
     * replica's effect is claimed again, and trackers reconcile by label before repeating a create.
     * It is also how long a restarted single replica waits for the effect it was delivering when it died.
     */
    @WithDefault("2m")
    Duration lease();

    /** How often the dispatcher looks for effects that are due. */
    @WithDefault("1s")
    Duration pollInterval();
}
