package dev.rootcause.changes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Post-deploy verification, under {@code rootcause.changes.verify}. */
@ConfigMapping(prefix = "rootcause.changes.verify")
public interface VerifyConfig {

    /** How long after the change the comparison runs; the "after" window is the change time up to then. */
    @WithDefault("10m")
    Duration delay();

    /** The "before" window, ending at the change time. */
    @WithDefault("30m")
    Duration before();

    /** How often due verifications are looked for. */
    @WithDefault("5s")
    Duration pollInterval();

    /**
     * The checks, by name (e.g. {@code error_ratio}, {@code p99_latency}); application.properties ships two
     * on the classic Prometheus HTTP metrics. A check fails when after &gt; before × {@code max-ratio}, after
     * &gt; {@code min-after} and the change exceeds the series' own noise (3σ of the before window).
     */
    Map<String, Check> checks();

    /** One before/after comparison. */
    interface Check {

        /** PromQL template; {@code $service} and the global rule vars ({@code $rate_window}) are filled, escaped. */
        String query();

        /** Largest allowed after / before. */
        @WithDefault("2.0")
        double maxRatio();

        /** An after value at or below this passes whatever the ratio (e.g. 1 % errors, 0.1 s): small numbers jump. */
        @WithDefault("0")
        double minAfter();
    }
}
