package dev.rootcause.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.ChangeSourceException;
import dev.rootcause.source.BearerToken;
import dev.rootcause.source.HttpGuard;
import dev.rootcause.source.SourceFailures;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link ChangeSource} on a Kubernetes cluster's rollout history ({@link RolloutHistory}): reads the
 * service's Deployment ({@code rootcause.sources.kubernetes.deployments.<service>}, else the service name)
 * and its ReplicaSets. A Deployment that does not exist (404) has no changes. Active when
 * {@code rootcause.sources.kubernetes.enabled=true}.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.kubernetes.enabled", stringValue = "true")
public class KubernetesChangeSource implements ChangeSource {

    private final KubernetesConfig config;
    private final KubernetesApi api;
    private final HttpGuard guard;

    KubernetesChangeSource(KubernetesConfig config, Clock clock) {
        this.config = config;
        this.api = QuarkusRestClientBuilder.newBuilder().baseUri(config.url())
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .clientHeadersFactory(new BearerToken(config.token()))
                .build(KubernetesApi.class);
        this.guard = new HttpGuard("kubernetes", config.guardSettings(), clock);
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public List<ChangeEvent> changes(String service, Instant since, Instant until) throws ChangeSourceException {
        String deploymentName = config.deployments().getOrDefault(service, service);
        try {
            JsonNode deployment;
            try {
                deployment = guard.call(() -> api.deployment(config.namespace(), deploymentName));
            } catch (WebApplicationException e) {
                if (e.getResponse().getStatus() == 404) {
                    return List.of();
                }
                throw e;
            }
            String selector = RolloutHistory.selector(deployment);
            if (selector == null) {
                throw new ChangeSourceException(dev.rootcause.diagnosis.Evidence.Status.ERROR,
                        "Deployment " + config.namespace() + "/" + deploymentName + " has no matchLabels selector");
            }
            JsonNode replicaSets = guard.call(() -> api.replicaSets(config.namespace(), selector));
            return RolloutHistory.changes(service, deployment, replicaSets).stream()
                    .filter(c -> !c.time().isBefore(since) && !c.time().isAfter(until)).toList();
        } catch (RuntimeException e) {
            SourceFailures.Failure f = SourceFailures.describe(e, "Kubernetes API", config.url(), config.timeout(), KubernetesChangeSource::status);
            throw new ChangeSourceException(f.status(), f.reason());
        }
    }

    /** A Kubernetes error body is a {@code Status} object; its {@code message} says what went wrong. */
    private static String status(Response response) {
        String text = response.readEntity(String.class);
        int at = text.indexOf("\"message\"");
        if (at < 0) {
            return text.length() > 200 ? text.substring(0, 200) : text;
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text).path("message").asText();
        } catch (Exception e) {
            return text.length() > 200 ? text.substring(0, 200) : text;
        }
    }
}
