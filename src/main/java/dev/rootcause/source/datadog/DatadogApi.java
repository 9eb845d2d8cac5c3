package dev.rootcause.source.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The parts of Datadog's API read here (docs.datadoghq.com/api/latest/). Keys travel in headers
 * ({@link DatadogKeys}), never in the URL, so no URL in a log or a reason carries them.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
interface DatadogApi {

    /**
     * Query timeseries points (v1, metrics/#query-timeseries-points): {@code from}, {@code to} in seconds since the
     * epoch; answers {@code {"status":"ok","series":[{"metric","scope","tag_set":["k:v"],"pointlist":[[ms, v]],
     * "interval"}]}} or {@code {"status":"error","error":"..."}}.
     */
    @GET
    @Path("/v1/query")
    JsonNode query(@QueryParam("from") long from, @QueryParam("to") long to, @QueryParam("query") String query);

    /**
     * APM service dependencies (v1, service-dependencies/#get-all-apm-service-dependencies): {@code env} required,
     * {@code start}/{@code end} in seconds; answers {@code {"<service>": {"calls": ["<service>", ...]}}}.
     */
    @GET
    @Path("/v1/service_dependencies")
    JsonNode serviceDependencies(@QueryParam("env") String env, @QueryParam("start") long start, @QueryParam("end") long end);

    /**
     * Get a list of events (v2, events/#get-a-list-of-events): {@code filter[from]}/{@code filter[to]} in
     * milliseconds; cursor pagination, the next cursor in {@code meta.page.after} (absent, or {@code data} empty,
     * on the last page).
     */
    @GET
    @Path("/v2/events")
    JsonNode events(@QueryParam("filter[query]") String query, @QueryParam("filter[from]") String from,
            @QueryParam("filter[to]") String to, @QueryParam("sort") String sort, @QueryParam("page[limit]") int limit,
            @QueryParam("page[cursor]") String cursor);
}
