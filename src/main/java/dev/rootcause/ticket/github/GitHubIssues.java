package dev.rootcause.ticket.github;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;

/** GitHub REST API v3, issues of one repository (docs.github.com/rest/issues/issues). */
@Path("/repos/{owner}/{repo}/issues")
@ClientHeaderParam(name = "Accept", value = "application/vnd.github+json")
@ClientHeaderParam(name = "X-GitHub-Api-Version", value = "2022-11-28")
@Consumes(MediaType.APPLICATION_JSON)
interface GitHubIssues {

    /** Issues (and pull requests) carrying all the given labels, in any state. */
    @GET
    JsonNode withLabels(@PathParam("owner") String owner, @PathParam("repo") String repo, @QueryParam("labels") String labels,
            @QueryParam("state") String state, @HeaderParam("Authorization") String authorization);

    /** Creates an issue: {@code {"title", "body", "labels"}}; answers 201 with {@code number}, {@code html_url}. */
    @POST
    JsonNode create(@PathParam("owner") String owner, @PathParam("repo") String repo, JsonNode issue,
            @HeaderParam("Authorization") String authorization);

    /** Changes an issue, e.g. {@code {"state": "closed", "state_reason": "completed"}}; answers 200 with the issue. */
    @PATCH
    @Path("/{number}")
    JsonNode update(@PathParam("owner") String owner, @PathParam("repo") String repo, @PathParam("number") String number,
            JsonNode change, @HeaderParam("Authorization") String authorization);

    /** Comments on an issue, oldest first, at most {@code perPage} (GitHub allows up to 100). */
    @GET
    @Path("/{number}/comments")
    JsonNode comments(@PathParam("owner") String owner, @PathParam("repo") String repo, @PathParam("number") String number,
            @QueryParam("per_page") int perPage, @QueryParam("page") int page, @HeaderParam("Authorization") String authorization);

    /** Adds a comment {@code {"body"}}; answers 201. */
    @POST
    @Path("/{number}/comments")
    JsonNode comment(@PathParam("owner") String owner, @PathParam("repo") String repo, @PathParam("number") String number,
            JsonNode comment, @HeaderParam("Authorization") String authorization);
}
