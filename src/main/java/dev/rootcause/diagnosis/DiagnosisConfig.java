package dev.rootcause.diagnosis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The diagnosis engine, under {@code rootcause.diagnosis}. */
@ConfigMapping(prefix = "rootcause.diagnosis")
public interface DiagnosisConfig {

    /** Steps running at once across all diagnoses (each usually waits on one backend query). */
    @WithDefault("8")
    int concurrency();

    /** A step's time limit when its rule gives none ({@code timeout:}); past it the step is {@code timeout}. */
    @WithDefault("30s")
    Duration stepTimeout();
}
