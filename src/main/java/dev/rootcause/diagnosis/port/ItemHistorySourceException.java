package dev.rootcause.diagnosis.port;

import dev.rootcause.diagnosis.Evidence;

/** An item history read that failed, or found nothing to read; {@link #status()} says how the evidence ends. */
public class ItemHistorySourceException extends SourceException {

    /**
     * @param message what failed, safe to show (never contains credentials)
     */
    public ItemHistorySourceException(Evidence.Status status, String message) {
        super(status, message);
    }
}
