package dev.rootcause.api.ticket;

import dev.rootcause.incident.effect.EmbeddedTickets;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/v1/tickets}: the embedded tracker's tickets, newest first (at most 1000). */
@Path("/api/v1/tickets")
@Produces(MediaType.APPLICATION_JSON)
public class TicketResource {

    private final EmbeddedTickets tracker;

    TicketResource(EmbeddedTickets tracker) {
        this.tracker = tracker;
    }

    @GET
    public List<EmbeddedTickets.Ticket> list() {
        return tracker.list(1000);
    }

    @GET
    @Path("/{key}")
    public EmbeddedTickets.Ticket get(@PathParam("key") String key) {
        EmbeddedTickets.Ticket ticket = tracker.find(key);
        if (ticket == null) {
            throw new NotFoundException("no ticket " + key);
        }
        return ticket;
    }

    /** The ticket's comments (plain text), oldest first. */
    @GET
    @Path("/{key}/comments")
    public List<String> comments(@PathParam("key") String key) {
        get(key);
        return tracker.comments(key);
    }
}
