package dev.rootcause.source.kubernetes;

import dev.rootcause.source.GuardConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The Kubernetes API server as a change source (rollout history), under {@code rootcause.sources.kubernetes}. */
@ConfigMapping(prefix = "rootcause.sources.kubernetes")
public interface KubernetesConfig extends GuardConfig {

    /** Whether {@code changes.*} steps read rollout history from Kubernetes. */
    @WithDefault("false")
    boolean enabled();

    /**
     * API server, e.g. {@code https://kubernetes.default.svc} or {@code http://127.0.0.1:8001} ({@code kubectl proxy}).
     * HTTPS must verify with the JVM's trust store.
     */
    @WithDefault("https://kubernetes.default.svc")
    URI url();

    /** Bearer token (a service account's, with get/list on deployments and replicasets); never logged. */
    Optional<String> token();

    /** Namespace of the services' Deployments. */
    @WithDefault("default")
    String namespace();

    /** Deployment name per service when it differs from the service name, e.g. {@code deployments.checkout=checkout-web}. */
    Map<String, String> deployments();

    /** Per call: connect and read timeout. */
    @WithDefault("5s")
    Duration timeout();
}
