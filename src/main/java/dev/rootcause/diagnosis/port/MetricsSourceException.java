package dev.rootcause.diagnosis.port;

import dev.rootcause.diagnosis.Evidence;

/** A metrics query that failed; {@link #status()} says whether it was an error or a timeout. */
public class MetricsSourceException extends SourceException {

    /**
     * @param message what failed, safe to show (never contains credentials)
     */
    public MetricsSourceException(Evidence.Status status, String message) {
        super(status, message);
    }
}
