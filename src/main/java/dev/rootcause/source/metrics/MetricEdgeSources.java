package dev.rootcause.source.metrics;

import dev.rootcause.diagnosis.graph.EdgeSource;
import dev.rootcause.diagnosis.port.MetricsSource;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The dependency-graph sources in Prometheus, one instant query each per build (asked only when
 * {@code rootcause.graph.metrics} is true, the default). Caller labels follow the service labels of
 * {@code rules/conventions.yaml} for each convention; the callee label is the one its client signals group by.
 * <ul>
 * <li>Tempo's service graph ({@code metrics_generator} service-graphs processor):
 * {@code traces_service_graph_request_total{client, server}};</li>
 * <li>Micrometer's client timer: {@code http_client_requests_seconds_count} by {@code application|service|job}
 * → {@code client_name} (the host called);</li>
 * <li>OpenTelemetry's client histogram: {@code http_client_request_duration_seconds_count} by
 * {@code service_name|service|job} → {@code server_address};</li>
 * <li>Istio, as the caller's sidecar reports it: {@code istio_requests_total{reporter="source"}} by
 * {@code source_canonical_service|source_app|source_workload} → {@code destination_service_name};</li>
 * <li>Linkerd's proxy, outbound: {@code response_total{direction="outbound"}} by {@code deployment} →
 * {@code dst_deployment}.</li>
 * </ul>
 */
@Singleton
public class MetricEdgeSources {

    private static final String ENABLED = "rootcause.graph.metrics";

    @Produces
    @Singleton
    @Named("graph-tempo")
    @LookupIfProperty(name = ENABLED, stringValue = "true", lookupIfMissing = true)
    EdgeSource tempo(MetricsSource metrics) {
        return new PromQlEdgeSource("tempo service graph", "traces_service_graph_request_total", List.of("client"), "server", metrics);
    }

    @Produces
    @Singleton
    @Named("graph-micrometer")
    @LookupIfProperty(name = ENABLED, stringValue = "true", lookupIfMissing = true)
    EdgeSource micrometer(MetricsSource metrics) {
        return new PromQlEdgeSource("client metrics (micrometer)", "http_client_requests_seconds_count",
                List.of("application", "service", "job"), "client_name", metrics);
    }

    @Produces
    @Singleton
    @Named("graph-otel")
    @LookupIfProperty(name = ENABLED, stringValue = "true", lookupIfMissing = true)
    EdgeSource otel(MetricsSource metrics) {
        return new PromQlEdgeSource("client metrics (otel)", "http_client_request_duration_seconds_count",
                List.of("service_name", "service", "job"), "server_address", metrics);
    }

    @Produces
    @Singleton
    @Named("graph-istio")
    @LookupIfProperty(name = ENABLED, stringValue = "true", lookupIfMissing = true)
    EdgeSource istio(MetricsSource metrics) {
        return new PromQlEdgeSource("mesh (istio)", "istio_requests_total{reporter=\"source\"}",
                List.of("source_canonical_service", "source_app", "source_workload"), "destination_service_name", metrics);
    }

    @Produces
    @Singleton
    @Named("graph-linkerd")
    @LookupIfProperty(name = ENABLED, stringValue = "true", lookupIfMissing = true)
    EdgeSource linkerd(MetricsSource metrics) {
        return new PromQlEdgeSource("mesh (linkerd)", "response_total{direction=\"outbound\"}", List.of("deployment"), "dst_deployment",
                metrics);
    }
}
