package dev.rootcause.source.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.chat.discord.ServiceNames;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link ServiceNames} from Prometheus: the values of its {@code service} label. */
@ApplicationScoped
public class PrometheusServiceNames implements ServiceNames {

    private final PrometheusLabels api;

    PrometheusServiceNames(PrometheusConfig config) {
        this.api = QuarkusRestClientBuilder.newBuilder().baseUri(config.url())
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(PrometheusLabels.class);
    }

    @Override
    public List<String> all() {
        JsonNode body = api.values("service");
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("Prometheus label values: " + body.path("error").asText("unexpected answer"));
        }
        List<String> out = new ArrayList<>();
        body.path("data").forEach(v -> out.add(v.asText()));
        return out;
    }
}
