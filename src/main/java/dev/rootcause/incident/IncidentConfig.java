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
     * Whether this instance turns stored deliveries into incidents and diagnoses them. Every replica may
     * (work is claimed, issue 21); {@code false} makes an intake-only replica, whose accepted bodies wait in
     * the store for a replica that processes them.
     */
    @WithDefault("true")
    boolean processingEnabled();

    /**
     * How often the processor looks for stored deliveries it was not told about (after a restart, or
     * ones accepted by another replica). Intake wakes it immediately otherwise.
     */
    @WithDefault("2s")
    Duration pollInterval();

    /**
     * How long a replica holds the deliveries and the diagnosis it claimed. After it, a replica that died
     * holding them (a {@code kill -9}, a lost node) has them claimed by another: this bounds the failover
     * of claimed work (lease + {@link #pollInterval()}). Longer than the slowest diagnosis
     * ({@code rootcause.diagnosis.deadline}, 10 s by default, plus storing the report); a paused replica
     * whose lease ran out finds out before it stores anything (its claim token no longer matches).
     */
    @WithDefault("30s")
    Duration lease();
}
