package dev.rootcause.diagnosis.port;

import dev.rootcause.diagnosis.Evidence;

/** A change source that could not answer; {@link #status()} says whether it was an error or a timeout. */
public class ChangeSourceException extends SourceException {

    /** @param message what failed, safe to show (never contains credentials) */
    public ChangeSourceException(Evidence.Status status, String message) {
        super(status, message);
    }
}
