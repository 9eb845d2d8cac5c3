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

    /**
     * On-demand diagnoses ({@code POST /api/v1/diagnose}) running at once; more are answered 429, so
     * people asking cannot crowd out the diagnoses of incidents.
     */
    @WithDefault("2")
    int ondemandConcurrency();

    /** A step's time limit when its rule gives none ({@code timeout:}); past it the step is {@code timeout}. */
    @WithDefault("30s")
    Duration stepTimeout();
}
