package dev.rootcause.diagnosis.port;

import dev.rootcause.diagnosis.Evidence;

/** A cache that could not be read: {@code skipped} (no instance configured), {@code error} or {@code timeout}. */
public class CacheSourceException extends SourceException {

    /** @param message what failed, safe to show (never contains credentials) */
    public CacheSourceException(Evidence.Status status, String message) {
        super(status, message);
    }
}
