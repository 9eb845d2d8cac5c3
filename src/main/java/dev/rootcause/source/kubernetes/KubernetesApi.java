package dev.rootcause.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The Kubernetes API paths we read (apps/v1): a Deployment and the ReplicaSets its selector matches. */
@Path("/apis/apps/v1/namespaces/{namespace}")
@Produces(MediaType.APPLICATION_JSON)
interface KubernetesApi {

    @GET
    @Path("/deployments/{name}")
    JsonNode deployment(@PathParam("namespace") String namespace, @PathParam("name") String name);

    @GET
    @Path("/replicasets")
    JsonNode replicaSets(@PathParam("namespace") String namespace, @QueryParam("labelSelector") String labelSelector);
}
