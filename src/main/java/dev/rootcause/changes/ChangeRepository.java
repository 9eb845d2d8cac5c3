package dev.rootcause.changes;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The change events posted to the API and their post-deploy verifications. Times are UTC instants;
 * lists are newest first unless said otherwise. Every method throws
 * {@link dev.rootcause.incident.StoreException} when the store fails.
 */
public interface ChangeRepository {

    /**
     * Stores a new change, its time {@code r.time()} or else {@code receivedAt}.
     *
     * @param bodyHash the request body's hash ({@link ChangeRequest#bodyHash}), to tell a retry from a conflict
     * @return false when a change with that id exists already (the store's unique key decided)
     */
    boolean insert(ChangeRequest r, String bodyHash, Instant receivedAt);

    Optional<StoredChange> find(String id);

    /**
     * Changes of a service (all services when null) at or after {@code since}, by change time then receipt.
     *
     * @param kinds  the kinds of change to list ({@code deploy}, {@code flag} ...); empty lists every kind
     * @param source only changes from this sender ({@code github} ...); null: from any
     */
    List<StoredChange> list(String service, Set<String> kinds, String source, Instant since, int limit);

    /**
     * Changes of one service in {@code [since, until]}, the same order, at most {@code limit}.
     *
     * @param kinds as in {@link #list}
     */
    List<StoredChange> between(String service, Instant since, Instant until, Set<String> kinds, int limit);

    /**
     * Asks for a verification unless one exists: {@code pending}, due at {@code dueAt}.
     *
     * @return whether this call asked
     */
    boolean requestVerification(String id, Instant requestedAt, Instant dueAt);

    /** Pending verifications due at {@code now}, the earliest due first. */
    List<StoredChange> dueVerifications(Instant now, int limit);

    /**
     * Records a verdict once: only a pending verification is decided (a concurrent decider loses quietly).
     *
     * @param status     {@code pass}, {@code fail} or {@code error}
     * @param resultJson the checks and their evidence as JSON
     * @return whether this call decided
     */
    boolean decide(String id, String status, Instant decidedAt, String resultJson);
}
