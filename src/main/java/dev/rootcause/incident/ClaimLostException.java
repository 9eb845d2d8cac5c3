package dev.rootcause.incident;

/**
 * The claim on a piece of work (a delivery, a diagnosis) is no longer this replica's: its lease ran out
 * while the replica was paused or slow, and another replica claimed the work. Whatever this replica was
 * about to store for it must not be stored; the caller's transaction rolls back.
 */
public final class ClaimLostException extends RuntimeException {

    public ClaimLostException(String message) {
        super(message);
    }
}
