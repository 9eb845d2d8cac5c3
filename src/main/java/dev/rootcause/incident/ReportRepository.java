package dev.rootcause.incident;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.report.Report;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Diagnosis reports of incidents and each incident's diagnosis state (due flag, root cause, ticket).
 * Every method joins the caller's transaction when there is one and throws {@link StoreException} when
 * the store fails.
 */
public interface ReportRepository {

    /** The latest report of an incident: markdown, and its findings and evidence as JSON arrays. */
    record StoredReport(String markdown, JsonNode findings, JsonNode evidence) {
    }

    /**
     * What the latest diagnosis saw and concluded, as JSON trees: for export as a rule test.
     *
     * @param alertContext the diagnosed alert ({@code labels}, {@code annotations}, {@code startsAt}, {@code now})
     * @param recordings   the backend answers the steps got (an array; each with {@code query}, {@code capability},
     *                     {@code series})
     * @param findings     the findings (an array)
     * @param rootCause    the root cause summary, or null when none was determined
     */
    record Replayable(JsonNode alertContext, JsonNode recordings, JsonNode findings, String rootCause) {
    }

    /**
     * Marks the incident due for a diagnosis and drops any claim on its diagnosis: a diagnosis under way
     * (here or on another replica) then cannot store its report, and the incident is diagnosed anew with
     * what changed.
     */
    void markDue(long incidentId);

    /** Up to {@code limit} incidents waiting for a diagnosis that no replica holds at {@code now}, oldest first. */
    List<Long> due(int limit, Instant now);

    /**
     * Claims an incident's diagnosis for this replica in the caller's transaction: locks its row unless
     * another replica is claiming it ({@code SKIP LOCKED}), and stamps {@code token} and the lease when the
     * incident is still due and nobody's lease runs.
     *
     * @return true when claimed
     */
    boolean claimDiagnosis(long incidentId, String token, Instant leaseEnd, Instant now);

    /**
     * Locks the incident's row for the caller's transaction after checking its diagnosis is still claimed with
     * {@code token} (fencing: the report of a diagnosis whose lease ran out is never stored).
     *
     * @throws ClaimLostException when it is not
     */
    void holdDiagnosis(long incidentId, String token);

    /**
     * Stores a report, copies its root cause onto the incident and clears the due flag and the claim.
     *
     * @return the report's id
     */
    long save(Report report);

    /**
     * A stored report, whole again (for effects delivered later by the outbox).
     *
     * @throws IllegalStateException when there is no such report or its stored JSON is unreadable
     */
    Report load(long reportId, Incident incident);

    /** The id of the incident's latest report, if any. */
    Optional<Long> latestId(long incidentId);

    /** Clears the due flag without a report (the diagnosis failed). */
    void clearDue(long incidentId);

    /** Records the incident's ticket: its key ({@code RC-12}, {@code OPS-431}, {@code #87}) and URL. */
    void setTicket(long incidentId, String key, String url);

    /** The latest report's inputs and conclusions, or empty when the incident has no report. */
    Optional<Replayable> replayable(long incidentId);

    /** The latest report, or empty when the incident has none. */
    Optional<StoredReport> latest(long incidentId);
}
