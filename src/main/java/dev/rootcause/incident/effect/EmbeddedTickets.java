package dev.rootcause.incident.effect;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The tickets rootcause keeps itself when no external tracker is configured ({@code rootcause.tickets.kind=embedded}),
 * as {@code GET /api/v1/tickets} shows them. Keys are {@code RC-<n>}.
 *
 * @throws dev.rootcause.incident.StoreException from every method when the incident store does not answer
 */
public interface EmbeddedTickets {

    /** A stored ticket; {@code labels} is comma-separated and always holds {@code rootcause-incident-<id>}. */
    record Ticket(String key, long incidentId, String title, String status, String labels,
            OffsetDateTime createdAt, String url, String body) {
    }

    /** All tickets, newest first, at most {@code limit}. */
    List<Ticket> list(int limit);

    /** The ticket with this key ({@code RC-<n>}), or null when there is none or the key is not of that form. */
    Ticket find(String key);

    /** The ticket's comments (plain text), oldest first. */
    List<String> comments(String key);
}
