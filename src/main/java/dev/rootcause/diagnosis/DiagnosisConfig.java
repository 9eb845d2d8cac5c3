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

    /** How confounding findings are weighed ({@link Ranking}). */
    RankingConfig ranking();

    /** Timing limits of {@link Ranking.Policy}, under {@code rootcause.diagnosis.ranking}. */
    interface RankingConfig {

        /**
         * How long before the alert's start a cause may have begun and still be blamed; a change older than
         * this (a deploy days before the symptom) is named in the report but never made the root cause.
         */
        @WithDefault("24h")
        Duration maxLead();

        /**
         * How long after the alert's start a cause may have begun before it is doubted as a consequence
         * rather than the cause (alert {@code for:} clauses and rate windows make onsets trail by minutes).
         */
        @WithDefault("10m")
        Duration lateAfter();
    }
}
