package dev.rootcause.source.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Prometheus HTTP API v1 (prometheus.io/docs/prometheus/latest/querying/api/). POST with a form body,
 * which Prometheus accepts for both endpoints, so long queries never hit URL length limits. Times are
 * Unix seconds with a fraction; {@code step} is in seconds.
 */
@Path("/api/v1")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Produces(MediaType.APPLICATION_JSON)
interface PrometheusApi {

    @POST
    @Path("/query")
    JsonNode query(@FormParam("query") String query, @FormParam("time") String time);

    @POST
    @Path("/query_range")
    JsonNode queryRange(@FormParam("query") String query, @FormParam("start") String start,
            @FormParam("end") String end, @FormParam("step") String step);
}
