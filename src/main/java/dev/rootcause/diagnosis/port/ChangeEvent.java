package dev.rootcause.diagnosis.port;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A change to a service (docs/architecture.md, "Vocabulary"): a deploy, rollback, config or feature-flag change.
 *
 * @param id              the change's id: the caller's id for changes posted to the API, {@code <deployment>@<revision>}
 *                        for Kubernetes rollouts
 * @param service         the service changed
 * @param version         what runs after the change (a version, an image tag)
 * @param previousVersion what ran before, or null when unknown
 * @param commitRange     e.g. {@code a1b2c3..d4e5f6}, or null
 * @param author          who made it, or null
 * @param time            when it took effect (UTC)
 * @param kind            the kind of change: {@code deploy}, {@code rollback}, {@code config}, {@code flag}, {@code infra} or
 *                        {@code other} ({@link #KINDS}); called {@code source} before issue 24
 * @param link            a page a person can open (pipeline run, PR), or null
 * @param origin          the backend that knows of it: {@code api} or {@code kubernetes}
 * @param state           what the service consists of after the change when known, e.g.
 *                        {@code image/checkout → registry/checkout:1.42.0}, {@code env/checkout/TIMEOUT_MS → 2800};
 *                        values that may be secrets are already hidden; empty when unknown
 * @param previousState   the same before the change; empty when unknown
 * @param note            a caveat about this record (e.g. "time is the ReplicaSet's creation"), or null
 * @param source          the system that sent or recorded it, e.g. {@code github}, {@code gitlab}, {@code argocd}, PagerDuty's
 *                        {@code payload.source} ({@code acme-build-pipeline}), a CI's name posted to the API, {@code kubernetes};
 *                        null when the sender did not say
 * @param environment     where it was deployed ({@code production}, {@code staging}, a namespace), or null when not said
 */
public record ChangeEvent(String id, String service, String version, String previousVersion, String commitRange,
        String author, Instant time, String kind, String link, String origin, Map<String, String> state,
        Map<String, String> previousState, String note, String source, String environment) {

    /**
     * The kinds of change ({@code kind}): the API accepts these, and {@code changes.*} steps ({@code kinds:}) and
     * {@code GET /api/v1/changes?kind=} filter on them.
     */
    public static final Set<String> KINDS = Set.of("deploy", "rollback", "config", "flag", "infra", "other");

    /** A change whose sender and environment are unknown (Kubernetes rollouts, older recordings). */
    public ChangeEvent(String id, String service, String version, String previousVersion, String commitRange, String author,
            Instant time, String kind, String link, String origin, Map<String, String> state, Map<String, String> previousState,
            String note) {
        this(id, service, version, previousVersion, commitRange, author, time, kind, link, origin, state, previousState, note, null,
                null);
    }

    public ChangeEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(time, "time");
        state = state == null ? Map.of() : Map.copyOf(state);
        previousState = previousState == null ? Map.of() : Map.copyOf(previousState);
    }
}
