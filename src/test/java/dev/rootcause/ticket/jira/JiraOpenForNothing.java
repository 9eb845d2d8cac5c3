package dev.rootcause.ticket.jira;

import java.util.Map;

/**
 * {@link JiraWireMock} with {@code rootcause.tickets.open-for} matching no severity: a diagnosis opens no ticket by
 * itself, so a test can store the report it wants and ask for the ticket (as Discord's Ticket button does).
 */
public class JiraOpenForNothing extends JiraWireMock {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        config.put("rootcause.tickets.open-for", "no-such-severity");
        return config;
    }
}
