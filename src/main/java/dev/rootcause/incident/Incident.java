package dev.rootcause.incident;

import java.time.Instant;
import java.util.Map;

/**
 * What a group of alerts is about. Keyed by (source, groupKey, generation): a group that fires again
 * after {@code rootcause.incidents.reopen-window} opens a new generation.
 *
 * @param status          {@link Status} name in lower case
 * @param severity        highest {@code severity} label seen on the group's firing alerts, or null
 * @param alertCount      distinct fingerprints stored for the incident
 * @param truncatedAlerts alerts the sender left out of its latest notification
 * @param rootCause       the latest diagnosis' root cause, or null
 * @param ticketKey       the incident's ticket in the configured tracker, or null
 */
public record Incident(long id, String source, String groupKey, int generation, String receiver,
        String externalUrl, String title, String status, String severity, Instant openedAt,
        Instant updatedAt, Instant acknowledgedAt, String acknowledgedBy, Instant resolvedAt,
        String resolvedBy, int alertCount, int truncatedAlerts, Map<String, String> groupLabels,
        Map<String, String> commonLabels, Map<String, String> commonAnnotations, String rootCause,
        String rootCauseConfidence, String ticketKey, String ticketUrl) {

    /** Lifecycle: open → acknowledged → resolved → reopened (→ acknowledged → resolved ...). */
    public enum Status {
        OPEN, ACKNOWLEDGED, RESOLVED, REOPENED;

        public String wire() {
            return name().toLowerCase();
        }
    }

    public boolean is(Status s) {
        return s.wire().equals(status);
    }
}
