package dev.rootcause.source.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Alertmanager API v2: {@code POST /api/v2/silences} with a {@code postableSilence}
 * ({@code matchers: [{name, value, isRegex, isEqual}], startsAt, endsAt, createdBy, comment}); answers
 * {@code {"silenceID": "..."}}.
 */
@Path("/api/v2/silences")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface AlertmanagerApi {

    @POST
    JsonNode create(JsonNode silence);
}
