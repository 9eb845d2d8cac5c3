package dev.rootcause.ticket.jira;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Jira REST API, version {@code 2} (Data Center) or {@code 3} (Cloud) in the path. Errors come back as
 * {@code {"errorMessages": [...], "errors": {"field": "message"}}}.
 */
@Path("/rest/api/{version}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface JiraApi {

    /** {@code {"fields": {...}}}; answers 201 {@code {"id", "key", "self"}}. */
    @POST
    @Path("/issue")
    JsonNode create(@PathParam("version") String version, JsonNode issue, @HeaderParam("Authorization") String auth);

    /** Data Center: {@code {"issues": [{"key"}], "total"}}. */
    @GET
    @Path("/search")
    JsonNode search(@PathParam("version") String version, @QueryParam("jql") String jql, @QueryParam("fields") String fields,
            @QueryParam("maxResults") int maxResults, @HeaderParam("Authorization") String auth);

    /** Cloud's enhanced search (eventually consistent): {@code {"issues": [{"key"}], "nextPageToken"?}}. */
    @GET
    @Path("/search/jql")
    JsonNode searchJql(@PathParam("version") String version, @QueryParam("jql") String jql, @QueryParam("fields") String fields,
            @QueryParam("maxResults") int maxResults, @HeaderParam("Authorization") String auth);

    /** An issue with the listed fields, e.g. {@code status}: {@code {"fields": {"status": {"statusCategory": {"key"}}}}}. */
    @GET
    @Path("/issue/{key}")
    JsonNode issue(@PathParam("version") String version, @PathParam("key") String key, @QueryParam("fields") String fields,
            @HeaderParam("Authorization") String auth);

    /** Transitions available now: {@code {"transitions": [{"id", "name", "to": {"name"}}]}}. */
    @GET
    @Path("/issue/{key}/transitions")
    JsonNode transitions(@PathParam("version") String version, @PathParam("key") String key, @HeaderParam("Authorization") String auth);

    /** {@code {"transition": {"id"}}}; answers 204. */
    @POST
    @Path("/issue/{key}/transitions")
    void transition(@PathParam("version") String version, @PathParam("key") String key, JsonNode transition,
            @HeaderParam("Authorization") String auth);

    /** Comments, oldest first: {@code {"comments": [{"body"}], "total"}}. */
    @GET
    @Path("/issue/{key}/comment")
    JsonNode comments(@PathParam("version") String version, @PathParam("key") String key, @QueryParam("startAt") int startAt,
            @QueryParam("maxResults") int maxResults, @HeaderParam("Authorization") String auth);

    /** {@code {"body": "wiki text"}} (v2) or {@code {"body": ADF}} (v3); answers 201. */
    @POST
    @Path("/issue/{key}/comment")
    JsonNode comment(@PathParam("version") String version, @PathParam("key") String key, JsonNode comment,
            @HeaderParam("Authorization") String auth);
}
