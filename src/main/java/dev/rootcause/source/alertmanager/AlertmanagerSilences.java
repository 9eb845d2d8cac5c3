package dev.rootcause.source.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.incident.Silences;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@link Silences} in the configured Alertmanager ({@code rootcause.sources.alertmanager.url}). */
@ApplicationScoped
public class AlertmanagerSilences implements Silences {

    private final AlertmanagerConfig config;
    private final ObjectMapper json;
    private volatile AlertmanagerApi api;

    AlertmanagerSilences(AlertmanagerConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    @Override
    public String create(Map<String, String> labels, Instant startsAt, Instant endsAt, String createdBy, String comment) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("a silence needs at least one matcher");
        }
        ObjectNode silence = json.createObjectNode();
        ArrayNode matchers = silence.putArray("matchers");
        labels.forEach((name, value) -> matchers.addObject().put("name", name).put("value", value)
                .put("isRegex", false).put("isEqual", true));
        silence.put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString())
                .put("createdBy", createdBy).put("comment", comment);
        try {
            JsonNode answer = api().create(silence);
            String id = answer.path("silenceID").asText("");
            if (id.isEmpty()) {
                throw new IllegalStateException("Alertmanager answered without a silenceID: " + answer);
            }
            return id;
        } catch (WebApplicationException e) {
            String body = e.getResponse().hasEntity() ? e.getResponse().readEntity(String.class) : "";
            throw new IllegalStateException("Alertmanager refused the silence: HTTP " + e.getResponse().getStatus() + " " + body, e);
        }
    }

    private AlertmanagerApi api() {
        if (api == null) {
            var url = config.url().orElseThrow(() -> new IllegalStateException(
                    "no Alertmanager configured for silences (rootcause.sources.alertmanager.url)"));
            api = QuarkusRestClientBuilder.newBuilder().baseUri(url)
                    .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .build(AlertmanagerApi.class);
        }
        return api;
    }
}
