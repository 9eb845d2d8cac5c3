package dev.rootcause.incident;

import dev.rootcause.report.Report;

/** Where reports are posted for people: Discord, or the log (console). */
public interface ChatPublisher {

    /**
     * Posts a report about an incident.
     *
     * @throws RuntimeException when the chat backend refused or could not be reached
     */
    void publish(Incident incident, Report report);
}
