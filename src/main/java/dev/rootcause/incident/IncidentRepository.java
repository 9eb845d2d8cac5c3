package dev.rootcause.incident;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Incidents, their alerts and their timelines. Every method joins the caller's transaction when there
 * is one ({@link IncidentService} owns the boundaries) and throws {@link StoreException} when the store
 * fails. Times are UTC instants; label maps are never null (empty when absent).
 */
public interface IncidentRepository {

    /** The latest generation of the incident of a group ({@code source} and {@code groupKey}), if any. */
    Optional<Incident> latestForGroup(String source, String groupKey);

    Optional<Incident> find(long id);

    /**
     * Newest first (by {@code openedAt}, then id).
     *
     * @param status a lifecycle status to filter on ({@code open}, {@code acknowledged}, ...), or null for all
     * @param limit  at most this many
     */
    default List<Incident> list(String status, int limit) {
        return list(status, null, limit);
    }

    /**
     * Newest first (by {@code openedAt}, then id), opened at or after {@code since}.
     *
     * @param status a lifecycle status to filter on, or null for all
     * @param since  the earliest {@code openedAt}, or null for any
     * @param limit  at most this many
     */
    List<Incident> list(String status, Instant since, int limit);

    /**
     * Inserts an incident in status {@code open}, opened and updated {@code now}.
     *
     * @param generation 1 for a group's first incident, one more for each later one
     * @return its id
     */
    long insert(Notification n, int generation, String title, String severity, Instant now);

    /** Records what the latest notification said about the group as a whole (receiver, labels, severity ...). */
    void updateFromNotification(long id, Notification n, String severity, Instant now);

    void setAcknowledged(long id, String by, Instant at);

    void setResolved(long id, String by, Instant at);

    /** Back to firing after a resolution: clears the resolution and the acknowledgement. */
    void setReopened(long id, Instant at);

    /** Fingerprint → status (firing or resolved) of the alerts stored for an incident. */
    Map<String, Alert.Status> alertStatuses(long incidentId);

    /**
     * Inserts new fingerprints and updates the known ones; a fingerprint repeated in {@code alerts} is
     * stored once (the last wins).
     *
     * @param known the incident's stored fingerprints ({@link #alertStatuses})
     */
    void upsertAlerts(long incidentId, List<Alert> alerts, Map<String, Alert.Status> known, Instant now);

    /** The incident's alerts, by {@code startsAt} then fingerprint. */
    List<Alert> alerts(long incidentId);

    /**
     * Appends a timeline entry.
     *
     * @param kind  a short name ({@code opened}, {@code resolved}, {@code ticket} ...)
     * @param actor who did it: a person, a source ({@code alertmanager}) or {@code rootcause}
     */
    void addTimeline(long incidentId, Instant at, String kind, String actor, String message);

    /** The incident's timeline, in the order it was written. */
    List<TimelineEntry> timeline(long incidentId);
}
