package dev.rootcause.incident;

/**
 * The incident store (H2 or PostgreSQL) failed: unreachable, a statement refused, a commit failed. Thrown
 * by every repository of the core ({@link IncidentRepository}, {@link ReportRepository},
 * {@link DeliveryRepository}, the outbox's and the change events' repositories). Unchecked, so that the
 * core's signatures do not name the store's technology; the message is the store's own (for JDBC the
 * driver's message), the cause its original exception.
 *
 * <p>Callers that must tell a store failure apart from other failures catch it by name: intake answers
 * {@code 503} so the sender retries, the background workers log it and try again on their next pass.
 */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The store's own failure, with its message unchanged. */
    public StoreException(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
