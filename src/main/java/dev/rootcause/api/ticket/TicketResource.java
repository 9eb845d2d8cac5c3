package dev.rootcause.api.ticket;

import dev.rootcause.incident.effect.EmbeddedTickets;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/tickets}: the embedded tracker's tickets, newest first (at most 1000). */
@Path("/api/v1/tickets")
@Tag(name = "tickets")
@SecurityRequirement(name = "apiToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
public class TicketResource {

    private final EmbeddedTickets tracker;

    TicketResource(EmbeddedTickets tracker) {
        this.tracker = tracker;
    }

    @GET
    @Operation(summary = "The embedded tracker's tickets, newest first (at most 1000)")
    @APIResponse(responseCode = "200", description = "The tickets.")
    public List<EmbeddedTickets.Ticket> list() {
        return tracker.list(1000);
    }

    @GET
    @Path("/{key}")
    @Operation(summary = "One ticket; body is the Markdown report")
    @APIResponse(responseCode = "200", description = "The ticket.")
    @APIResponse(responseCode = "404", description = "No ticket with this key.", content = @Content(schema = @Schema(ref = "Error"), example = "{\"error\":\"no ticket RC-9\"}"))
    public EmbeddedTickets.Ticket get(@PathParam("key") String key) {
        EmbeddedTickets.Ticket ticket = tracker.find(key);
        if (ticket == null) {
            throw new NotFoundException("no ticket " + key);
        }
        return ticket;
    }

    /** The ticket's comments (plain text), oldest first. */
    @GET
    @Operation(summary = "The ticket's comments as plain strings, oldest first")
    @APIResponse(responseCode = "200", description = "The comments.")
    @APIResponse(responseCode = "404", description = "No ticket with this key.", content = @Content(schema = @Schema(ref = "Error")))
    @Path("/{key}/comments")
    public List<String> comments(@PathParam("key") String key) {
        get(key);
        return tracker.comments(key);
    }
}
