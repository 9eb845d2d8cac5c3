package dev.rootcause.incident;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * The durable log of accepted webhook bodies. Intake appends to it before answering; {@link DeliveryProcessor}
 * drains it. A delivery is {@code pending}, then {@code processed}, or {@code failed} after
 * {@value #MAX_ATTEMPTS} failed attempts (kept, never deleted). Every method throws {@link StoreException}
 * when the store fails.
 */
public interface DeliveryRepository {

    /** After this many failed attempts a delivery is parked as {@code failed}. */
    int MAX_ATTEMPTS = 5;

    /**
     * Stores a body unless a delivery with the same {@link Notification#dedupKey() dedup key} is already
     * stored, and returns only once it is committed ({@link DeliveryGroupCommit}), so the caller may
     * answer {@code 202} afterwards. Runs outside the caller's transaction.
     *
     * @return the new delivery's id, or empty when it is a duplicate
     * @throws StoreException when the store is unavailable or the commit failed (or did not finish within
     *                        the answer timeout); the caller must not acknowledge the body
     */
    OptionalLong append(Notification notification, byte[] body);

    /**
     * Claims up to {@code limit} pending deliveries for this replica, oldest first, in a transaction of its
     * own: rows another replica is claiming are skipped ({@code FOR UPDATE SKIP LOCKED}), as are rows whose
     * lease has not run out. Only the oldest pending delivery of each group is claimable, so two deliveries
     * of one group are never applied out of order, by one replica or by two.
     *
     * @param lease how long the claim keeps the rows from other replicas; after it, a replica that died
     *              holding them has its deliveries claimed by another
     * @return the claimed deliveries, each with its {@link Delivery#claimToken()}, oldest first
     */
    List<Delivery> claim(int limit, Duration lease);

    /**
     * Locks a claimed delivery's row for the caller's transaction, so no other replica can claim it until
     * that transaction ends, after checking the claim is still this replica's (fencing: a replica whose
     * lease ran out while it was paused finds out here, before it changes anything).
     *
     * @throws ClaimLostException when the claim is no longer this replica's
     */
    void lockClaim(Delivery delivery);

    /**
     * Marks a claimed delivery processed by the incident; joins the caller's transaction so it commits with
     * the incident.
     *
     * @throws ClaimLostException when the claim is no longer this replica's (its lease ran out and another
     *                            replica claimed it): the caller's transaction must roll back
     */
    void markProcessed(Delivery delivery, long incidentId);

    /**
     * Records a failed attempt with its error and releases the claim; the delivery stays {@code pending} for
     * another try until {@link #MAX_ATTEMPTS}, then becomes {@code failed}. Does nothing when the claim was lost.
     *
     * @return true when the delivery is now parked as {@code failed}
     */
    boolean markAttemptFailed(Delivery delivery, String error);

    /** Number of deliveries in a status ({@code pending}, {@code processed}, {@code failed}). */
    long count(String status);
}
