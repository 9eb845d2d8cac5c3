package dev.rootcause.api.ticket;

import dev.rootcause.ticket.embedded.EmbeddedTicketTracker;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;

/** {@code GET /api/v1/tickets}: the embedded tracker's tickets, newest first (at most 1000). */
@Path("/api/v1/tickets")
@Produces(MediaType.APPLICATION_JSON)
public class TicketResource {

    private final EmbeddedTicketTracker tracker;

    TicketResource(EmbeddedTicketTracker tracker) {
        this.tracker = tracker;
    }

    @GET
    public List<EmbeddedTicketTracker.Ticket> list() throws SQLException {
        return tracker.list(1000);
    }

    @GET
    @Path("/{key}")
    public EmbeddedTicketTracker.Ticket get(@PathParam("key") String key) throws SQLException {
        EmbeddedTicketTracker.Ticket ticket = tracker.find(key);
        if (ticket == null) {
            throw new NotFoundException("no ticket " + key);
        }
        return ticket;
    }

    /** The ticket's comments (plain text), oldest first. */
    @GET
    @Path("/{key}/comments")
    public List<String> comments(@PathParam("key") String key) throws SQLException {
        get(key);
        return tracker.comments(key);
    }
}
