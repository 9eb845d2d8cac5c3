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

    /**
     * Backend queries one diagnosis may send (metrics, traces, logs, changes, cache reads, probes; the same query
     * over the same window asked by several steps is sent once). The steps that would send more end
     * {@code skipped} with "query budget of N spent", and the layered verdict says which checks did not run. Up to
     * half is set aside for steps that need several queries in a row (the dependency walk). 60: the shipped rules'
     * widest sweep (a latency or errors alert on a service) asks 34 to 56 different queries (BENCHMARKS.md), more with
     * several metric conventions and the walk's levels; with 30, and with 60 less the part set aside, the checks that
     * started last were refused on the real stack, among them the rule the alert is most about. Hence 100.
     */
    @WithDefault("100")
    int maxQueries();

    /**
     * How long one diagnosis may run. The time its queries wait queued for a backend slot (behind more severe
     * diagnoses, {@link #backendConcurrency()}) is not counted. Steps still running then are cut off
     * ({@code timeout}); steps not yet started end {@code skipped}. A step's own {@code timeout:} and
     * {@link #stepTimeout()} still apply within it. Must leave room for the slowest shipped step: the cache rule's
     * two Redis {@code INFO} reads 2 s apart, and for a Prometheus under load (10 s: on a loaded 2-core machine the
     * real-stack flows' log and trace steps took 3-6 s; a quiet one finishes the sweep within 3 s).
     */
    @WithDefault("10s")
    Duration deadline();

    /**
     * Queries at once to one backend (Prometheus, Zipkin, Loki, Redis, the prober, each change source), shared by
     * every diagnosis; more wait, the most severe diagnosis first (critical, then warning, then info), and the
     * incident's chat thread says once that its diagnosis is queued.
     */
    @WithDefault("4")
    int backendConcurrency();

    /**
     * Per-backend overrides of {@link #backendConcurrency()}, by the backend's name as evidence shows it:
     * {@code rootcause.diagnosis.backend-concurrency-of.prometheus=2}; change sources as {@code changes.<name>}.
     */
    java.util.Map<String, Integer> backendConcurrencyOf();

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
