package dev.rootcause.diagnosis.step.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Metric convention detection, under {@code rootcause.conventions} (the table itself: {@code rules/conventions.yaml}). */
@ConfigMapping(prefix = "rootcause.conventions")
public interface ConventionsConfig {

    /**
     * How long a service's detected convention is reused before it is asked again (one instant query
     * per service). A pinned convention ({@code services.yaml}) is never asked; a failed or empty detection
     * is never kept.
     */
    @WithDefault("10m")
    Duration refresh();
}
