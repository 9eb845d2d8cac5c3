package dev.rootcause.diagnosis.port;

import dev.rootcause.diagnosis.Evidence;

/**
 * A source that could not answer; {@link #status()} says how the evidence ends ({@code error},
 * {@code timeout}, or {@code skipped} when nothing is configured to ask). Each capability's port throws
 * its own subclass.
 */
public class SourceException extends Exception {

    private final Evidence.Status status;

    /**
     * @param message what failed, safe to show in evidence and reports (never contains credentials)
     */
    public SourceException(Evidence.Status status, String message) {
        super(message);
        this.status = status;
    }

    public Evidence.Status status() {
        return status;
    }
}
