package dev.rootcause.incident;

import java.time.Instant;

/**
 * One accepted webhook body, stored verbatim before the sender got its {@code 202}.
 *
 * @param id         store id, increasing in order of receipt
 * @param source     {@code alertmanager} or {@code grafana}
 * @param receivedAt when intake stored it
 * @param body       the body as received (UTF-8 JSON)
 * @param attempts   how many times processing it failed so far
 * @param claimToken the claim under which this replica processes it ({@link DeliveryRepository#claim}), or
 *                   null when it was read without one
 */
public record Delivery(long id, String source, Instant receivedAt, byte[] body, int attempts, String claimToken) {

    /** A delivery read without a claim. */
    public Delivery(long id, String source, Instant receivedAt, byte[] body, int attempts) {
        this(id, source, receivedAt, body, attempts, null);
    }
}
