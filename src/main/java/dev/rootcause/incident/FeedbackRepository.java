package dev.rootcause.incident;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Responders' verdicts on root causes, stored on the incident. Every method joins the caller's transaction
 * when there is one and throws {@link StoreException} when the store fails.
 */
public interface FeedbackRepository {

    /** Stores the incident's verdict, replacing an earlier one. */
    void save(long incidentId, Feedback feedback);

    /** The incident's verdict, if someone gave one. */
    Optional<Feedback> find(long incidentId);

    /**
     * The verdicts of many incidents at once (the incident list shows one per row): incident id → verdict, for those
     * of {@code incidentIds} that carry one; one statement per {@link #BATCH} ids.
     */
    Map<Long, Feedback.Verdict> verdicts(Collection<Long> incidentIds);

    /** Ids per statement of {@link #verdicts}: PostgreSQL takes up to 65,535 bind parameters; this stays well below. */
    int BATCH = 1000;

    /** The rule of the incident's latest root cause ({@code root_cause_rule}), or empty when none was determined. */
    Optional<String> rootCauseRule(long incidentId);

    /**
     * Verdicts per rule, sorted by rule id (the row for incidents without a root cause, rule null, last);
     * rules with neither verdicts nor root causes are absent.
     */
    List<Feedback.RuleCounts> countsPerRule();
}
