package dev.rootcause.source.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Prometheus HTTP API v1 (prometheus.io/docs/prometheus/latest/querying/api/). Queries are POSTed with a
 * form body, which Prometheus accepts for both endpoints, so long queries never hit URL length limits.
 * Times are Unix seconds with a fraction; {@code step} is in seconds. VictoriaMetrics serves the same paths.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
interface PrometheusApi {

    @POST
    @Path("/query")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    JsonNode query(@FormParam("query") String query, @FormParam("time") String time);

    @POST
    @Path("/query_range")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    JsonNode queryRange(@FormParam("query") String query, @FormParam("start") String start,
            @FormParam("end") String end, @FormParam("step") String step);

    /** Label values; Prometheus 2.42 serves this endpoint for GET only. {@code match[]} may repeat. */
    @GET
    @Path("/label/{name}/values")
    JsonNode labelValues(@PathParam("name") String label, @QueryParam("match[]") List<String> match,
            @QueryParam("start") String start, @QueryParam("end") String end);
}
