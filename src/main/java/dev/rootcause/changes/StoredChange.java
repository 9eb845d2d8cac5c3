package dev.rootcause.changes;

import dev.rootcause.diagnosis.port.ChangeEvent;
import java.time.Instant;

/**
 * A change posted to the API as stored, with its post-deploy verification.
 *
 * @param receivedAt   when the API first accepted it
 * @param verification null when none was asked for
 */
public record StoredChange(ChangeEvent change, String bodyHash, Instant receivedAt, Verification verification) {

    /**
     * @param status      {@code pending}, {@code pass}, {@code fail} or {@code error}
     * @param dueAt       when the comparison runs (change time + {@code rootcause.changes.verify.delay})
     * @param decidedAt   when it ran, or null while pending
     * @param resultJson  the checks and their evidence as JSON, or null while pending
     */
    public record Verification(String status, Instant requestedAt, Instant dueAt, Instant decidedAt, String resultJson) {
    }
}
