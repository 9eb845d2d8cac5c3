package dev.rootcause.incident;

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

    /** Up to {@code limit} deliveries waiting to be processed, oldest first. */
    List<Delivery> pending(int limit);

    /** Marks a delivery processed by the incident; joins the caller's transaction so it commits with the incident. */
    void markProcessed(long id, long incidentId);

    /**
     * Records a failed attempt with its error; the delivery stays {@code pending} for another try until
     * {@link #MAX_ATTEMPTS}, then becomes {@code failed}.
     *
     * @return true when the delivery is now parked as {@code failed}
     */
    boolean markAttemptFailed(Delivery delivery, String error);

    /** Number of deliveries in a status ({@code pending}, {@code processed}, {@code failed}). */
    long count(String status);
}
