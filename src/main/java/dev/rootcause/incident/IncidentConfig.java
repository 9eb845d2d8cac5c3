package dev.rootcause.incident;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Incident lifecycle and processing, under {@code rootcause.incidents}. */
@ConfigMapping(prefix = "rootcause.incidents")
public interface IncidentConfig {

    /**
     * A resolved incident whose group fires again within this time after its resolution is reopened;
     * later, a new incident (next generation) is opened for the group.
     */
    @WithDefault("24h")
    Duration reopenWindow();

    /**
     * Whether this instance turns stored deliveries into incidents. Set {@code false} on intake-only
     * replicas: accepted bodies then wait in the store for a replica that processes them.
     */
    @WithDefault("true")
    boolean processingEnabled();

    /**
     * How often the processor looks for stored deliveries it was not told about (after a restart, or
     * ones accepted by another replica). Intake wakes it immediately otherwise.
     */
    @WithDefault("2s")
    Duration pollInterval();
}
