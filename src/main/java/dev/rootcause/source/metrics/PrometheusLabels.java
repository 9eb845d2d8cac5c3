package dev.rootcause.source.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Prometheus HTTP API: a label's values ({@code GET /api/v1/label/<name>/values}, {@code {"status":"success","data":[...]}}). */
@Path("/api/v1/label")
@Produces(MediaType.APPLICATION_JSON)
interface PrometheusLabels {

    @GET
    @Path("/{name}/values")
    JsonNode values(@PathParam("name") String name);
}
