package dev.rootcause.incident;

import dev.rootcause.report.Report;

/** Where incidents become tickets: Jira, GitHub Issues, or the embedded tracker. */
public interface TicketTracker {

    /** A ticket as the tracker names it: {@code key} like {@code RC-12} or {@code OPS-431}, and a URL. */
    record TicketRef(String key, String url) {
    }

    /**
     * Opens the incident's ticket, or returns the one already open for it (one ticket per incident).
     *
     * @throws RuntimeException when the tracker refused or could not be reached
     */
    TicketRef open(Incident incident, Report report);
}
