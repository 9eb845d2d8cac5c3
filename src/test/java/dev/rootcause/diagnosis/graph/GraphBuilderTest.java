package dev.rootcause.diagnosis.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.port.TraceSource;
import dev.rootcause.rule.ServiceCatalogue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Merging, naming, failures and the sampled-traces fallback of one graph build, over in-memory sources. */
class GraphBuilderTest {

    static final Instant NOW = Instant.parse("2026-05-14T09:00:00Z");
    static final GraphBuilder.Settings SETTINGS = new GraphBuilder.Settings(Duration.ofHours(1), 30, 20, Duration.ofSeconds(2));
    final GraphBuilder builder = new GraphBuilder(SETTINGS, Clock.fixed(NOW, ZoneOffset.UTC));

    /** A source answering fixed edges, or failing. */
    record Fixed(String name, List<String[]> pairs, SourceException failure) implements EdgeSource {
        @Override
        public List<DependencyEdge> edges(Instant since, Instant until) throws SourceException {
            assertThat(Duration.between(since, until)).isEqualTo(Duration.ofHours(1));
            assertThat(until).isEqualTo(NOW);
            if (failure != null) {
                throw failure;
            }
            return pairs.stream().map(p -> new DependencyEdge(p[0], p[1], Set.of(name))).toList();
        }
    }

    /** A trace backend's dependency links answering nothing, as on Elasticsearch storage without the batch job. */
    record EmptyLinks(String name, List<String> services) implements TraceDependencySource {
        @Override
        public List<DependencyEdge> edges(Instant since, Instant until) {
            return List.of();
        }
    }

    static Fixed source(String name, String... pairs) {
        List<String[]> out = new ArrayList<>();
        for (String p : pairs) {
            out.add(p.split("->"));
        }
        return new Fixed(name, out, null);
    }

    static ServiceCatalogue.Service service(String name, Map<String, String> labels) {
        return new ServiceCatalogue.Service(name, "team", null, labels, List.of(), null);
    }

    @Test
    void sameEdgeFromSeveralOriginsIsOneEdgeWithAllOrigins() {
        DependencyGraph g = builder.build(List.of(source("zipkin", "checkout->payment", "payment->db"),
                source("catalogue", "checkout->payment"), source("client metrics (micrometer)", "Checkout->PAYMENT")),
                null, NodeNames.plain(), List.of());

        assertThat(g.edges()).extracting(DependencyEdge::caller, DependencyEdge::callee, DependencyEdge::origins).containsExactly(
                tuple("checkout", "payment", Set.of("catalogue", "client metrics (micrometer)", "zipkin")),
                tuple("payment", "db", Set.of("zipkin")));
        assertThat(g.sources()).containsExactly(Map.entry("catalogue", "1 edges"), Map.entry("client metrics (micrometer)", "1 edges"),
                Map.entry("zipkin", "2 edges"));
        assertThat(g.builtAt()).isEqualTo(NOW);
    }

    @Test
    void namesLineUpWithTheCatalogueAndKubernetesAddresses() {
        NodeNames names = NodeNames.of(List.of(service("checkout", Map.of("service", "checkout", "job", "checkout-api")),
                service("payment", Map.of("application", "Payments"))));
        DependencyGraph g = builder.build(List.of(source("client metrics (otel)", "checkout-api->payments.shop.svc.cluster.local",
                "CHECKOUT-API->api.stripe.com", "payments->payments-db.data.svc")), null, names, List.of());

        assertThat(g.edges()).extracting(DependencyEdge::caller, DependencyEdge::callee).containsExactly(
                tuple("checkout", "api.stripe.com"), tuple("checkout", "payment"), tuple("payment", "payments-db"));
    }

    @Test
    void cyclesStaySelfCallsGo() {
        DependencyGraph g = builder.build(List.of(source("mesh (istio)", "a->b", "b->a", "a->a")), null, NodeNames.plain(), List.of());

        assertThat(g.edges()).extracting(DependencyEdge::caller, DependencyEdge::callee).containsExactly(tuple("a", "b"), tuple("b", "a"));
        assertThat(g.downstreams("a")).hasSize(1);
        assertThat(g.upstreams("a")).hasSize(1);
    }

    @Test
    void failingEmptyAndSlowSourcesAreRecordedAndTheRestIsBuilt() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        EdgeSource hanging = new EdgeSource() {
            @Override
            public String name() {
                return "mesh (linkerd)";
            }

            @Override
            public List<DependencyEdge> edges(Instant since, Instant until) throws SourceException {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new SourceException(Evidence.Status.ERROR, "interrupted");
            }
        };
        DependencyGraph g = builder.build(List.of(source("catalogue", "checkout->auth"),
                new Fixed("tempo service graph", List.of(), new SourceException(Evidence.Status.ERROR, "Prometheus answered 503: overloaded")),
                new Fixed("client metrics (otel)", List.of(), new SourceException(Evidence.Status.TIMEOUT, "Prometheus did not answer within 2s")),
                source("mesh (istio)"), hanging), null, NodeNames.plain(), List.of());

        assertThat(g.edges()).extracting(DependencyEdge::caller).containsExactly("checkout");
        assertThat(g.sources()).containsEntry("tempo service graph", "error: Prometheus answered 503: overloaded")
                .containsEntry("client metrics (otel)", "timeout: Prometheus did not answer within 2s")
                .containsEntry("mesh (istio)", "empty")
                .containsEntry("mesh (linkerd)", "timeout: no answer within 2s");
    }

    @Test
    void emptyDependencyLinksFallBackToSampledTracesOfTheBackendsServices() {
        List<String> asked = new ArrayList<>();
        TraceSource traces = new FakeTraces("zipkin", asked, Map.of(
                "frontend", List.of(trace(span("1", null, "frontend", "SERVER", null), span("2", "1", "frontend", "CLIENT", "checkout"),
                        span("2", "1", "checkout", "SERVER", null), span("3", "2", "checkout", "CLIENT", null),
                        span("4", "3", "payment", "SERVER", null))),
                "payment", List.of(trace(span("5", null, "payment", "SERVER", null), span("6", "5", "payment", "CLIENT", "postgres")))));

        DependencyGraph g = builder.build(List.of(new EmptyLinks("zipkin", List.of("payment", "frontend")), source("catalogue", "checkout->auth")),
                traces, NodeNames.plain(), List.of("checkout"));

        assertThat(g.edges()).extracting(DependencyEdge::caller, DependencyEdge::callee, DependencyEdge::origins).containsExactly(
                tuple("checkout", "auth", Set.of("catalogue")),
                tuple("checkout", "payment", Set.of("zipkin (sampled traces)")),
                tuple("frontend", "checkout", Set.of("zipkin (sampled traces)")),
                tuple("payment", "postgres", Set.of("zipkin (sampled traces)")));
        assertThat(g.sources().get("zipkin")).isEqualTo(
                "empty (the dependencies job may not run on this storage); took 3 edges from sampled traces of 2 services");
        assertThat(asked).containsExactly("frontend", "payment");
    }

    @Test
    void withoutTheBackendsServiceListTheKnownServicesAreSampledAndFailuresSaid() {
        List<String> asked = new ArrayList<>();
        TraceSource traces = new FakeTraces("jaeger", asked, Map.of("checkout",
                List.of(trace(span("1", null, "checkout", "SERVER", null), span("2", "1", "checkout", "CLIENT", "payment")))));

        DependencyGraph g = builder.build(List.of(new EmptyLinks("jaeger", List.of()), source("mesh (istio)", "checkout->cart")), traces,
                NodeNames.plain(), List.of("checkout"));

        assertThat(asked).containsExactly("cart", "checkout");
        assertThat(g.edges()).extracting(DependencyEdge::callee).containsExactly("cart", "payment");
        assertThat(g.sources().get("jaeger")).isEqualTo("empty (the dependencies job may not run on this storage); took 1 edges"
                + " from sampled traces of 1 services (1 failed: no traces of cart)");
    }

    @Test
    void whenEverySampleFailsTheReasonIsRecorded() {
        TraceSource traces = new FakeTraces("zipkin", new ArrayList<>(), Map.of());

        DependencyGraph g = builder.build(List.of(new EmptyLinks("zipkin", List.of("checkout"))), traces, NodeNames.plain(), List.of());

        assertThat(g.edges()).isEmpty();
        assertThat(g.sources().get("zipkin")).isEqualTo(
                "empty (the dependencies job may not run on this storage); sampling traces failed: no traces of checkout");
    }

    static TraceSource.Trace trace(TraceSource.Span... spans) {
        return new TraceSource.Trace("t", List.of(spans));
    }

    static TraceSource.Span span(String id, String parent, String service, String kind, String peer) {
        return new TraceSource.Span(id, parent, service, "op", kind, peer, 0, 10, false, null);
    }

    /** Answers recorded traces per service and fails for any other. */
    record FakeTraces(String name, List<String> asked, Map<String, List<TraceSource.Trace>> byService) implements TraceSource {
        @Override
        public List<Trace> traces(String service, Instant start, Instant end, int limit) throws SourceException {
            asked.add(service);
            assertThat(limit).isEqualTo(20);
            assertThat(end).isEqualTo(NOW);
            if (!byService.containsKey(service)) {
                throw new SourceException(Evidence.Status.ERROR, "no traces of " + service);
            }
            return byService.get(service);
        }

        @Override
        public String describe(String service, Instant start, Instant end, int limit) {
            return service;
        }

        @Override
        public String traceLink(String traceId) {
            return null;
        }
    }
}
