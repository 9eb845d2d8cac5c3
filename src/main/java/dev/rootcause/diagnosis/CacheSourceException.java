package dev.rootcause.diagnosis;

/** A cache that could not be read; {@link #status()} says whether it was skipped, an error or a timeout. */
public class CacheSourceException extends Exception {

    private final Evidence.Status status;

    /**
     * @param status  {@code skipped} (nothing configured), {@code error} or {@code timeout}
     * @param message what failed, safe to show (never contains credentials)
     */
    public CacheSourceException(Evidence.Status status, String message) {
        super(message);
        this.status = status;
    }

    public Evidence.Status status() {
        return status;
    }
}
