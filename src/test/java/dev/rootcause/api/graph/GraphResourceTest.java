package dev.rootcause.api.graph;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.rootcause.source.metrics.PrometheusWireMock.fixture;
import static dev.rootcause.source.metrics.PrometheusWireMock.server;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.graph.CachedDependencyGraphs;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import dev.rootcause.source.metrics.PrometheusWireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The graph built from the shipped (empty) catalogue ({@code rules/services.yaml}) and Prometheus answering in its wire
 * shape: Tempo's service graph, Micrometer client metrics and Istio answer, OpenTelemetry's query fails, Linkerd's
 * is empty; one query per convention over all services; then {@code GET /api/v1/graph} shows it.
 */
@QuarkusTest
@QuarkusTestResource(value = PrometheusWireMock.class, restrictToAnnotatedClass = true)
class GraphResourceTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CachedDependencyGraphs graphs;

    @BeforeEach
    void build() {
        server().resetAll();
        server().stubFor(post(urlEqualTo("/api/v1/query")).atPriority(9).willReturn(okJson(fixture("graph-empty.json"))));
        server().stubFor(post(urlEqualTo("/api/v1/query")).withRequestBody(containing("traces_service_graph_request_total"))
                .willReturn(okJson(fixture("graph-tempo-service-graph.json"))));
        server().stubFor(post(urlEqualTo("/api/v1/query")).withRequestBody(containing("http_client_requests_seconds_count"))
                .willReturn(okJson(fixture("graph-micrometer-client.json"))));
        server().stubFor(post(urlEqualTo("/api/v1/query")).withRequestBody(containing("istio_requests_total"))
                .willReturn(okJson(fixture("graph-istio-source.json"))));
        server().stubFor(post(urlEqualTo("/api/v1/query")).withRequestBody(containing("http_client_request_duration_seconds_count"))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"overloaded\"}")));
        DependencyGraph before = graphs.current();
        graphs.refresh();
        await().atMost(Duration.ofSeconds(20)).until(() -> graphs.current() != before);
    }

    @Test
    void oneQueryPerConventionOverAllServicesByCallerAndCallee() {
        for (String query : List.of(
                "sum by (client, server) (rate(traces_service_graph_request_total[3600s]))",
                "sum by (application, service, job, client_name) (rate(http_client_requests_seconds_count[3600s]))",
                "sum by (source_canonical_service, source_app, source_workload, destination_service_name) (rate(istio_requests_total{reporter=\"source\"}[3600s]))",
                "sum by (deployment, dst_deployment) (rate(response_total{direction=\"outbound\"}[3600s]))")) {
            server().verify(1, postRequestedFor(urlEqualTo("/api/v1/query")).withFormParam("query", equalTo(query)));
        }
        server().verify(3, postRequestedFor(urlEqualTo("/api/v1/query")).withFormParam("query",
                equalTo("sum by (service_name, service, job, server_address) (rate(http_client_request_duration_seconds_count[3600s]))")));
    }

    @Test
    void theGraphShowsMergedEdgesWithOriginsAndWhatEachSourceAnswered() throws Exception {
        JsonNode g = get("/api/v1/graph", 200);

        assertThat(edges(g)).containsExactly(
                "checkout->auth [client metrics (micrometer)]",
                "checkout->payment [client metrics (micrometer), tempo service graph]",
                "payment->api.stripe.com [client metrics (micrometer)]",
                "payment->checkout [mesh (istio)]",
                "payment->payments-db [tempo service graph]");
        // the shipped catalogue lists no service (rules/services.yaml); merging it is GraphBuilderTest's
        assertThat(g.get("sources").get("catalogue").asText()).startsWith("empty");
        assertThat(g.get("sources").get("tempo service graph").asText()).isEqualTo("2 edges");
        assertThat(g.get("sources").get("client metrics (otel)").asText()).startsWith("error: Prometheus answered 503").contains("overloaded");
        assertThat(g.get("empty").toString()).contains("\"mesh (linkerd)\"");
        assertThat(g.get("failed").toString()).isEqualTo("[\"client metrics (otel)\"]");
        assertThat(g.get("builtAt").asText()).isNotEmpty();
        assertThat(g.get("service").isNull()).isTrue();
    }

    @Test
    void aServiceShowsItsNeighbourhoodToTheDepthAsked() throws Exception {
        assertThat(edges(get("/api/v1/graph?service=payments-db", 200))).containsExactly("payment->payments-db [tempo service graph]");
        JsonNode two = get("/api/v1/graph?service=Payments-DB&depth=2", 200);
        assertThat(two.get("service").asText()).isEqualTo("payments-db");
        assertThat(edges(two)).extracting(e -> e.substring(0, e.indexOf(' ')))
                .containsExactly("checkout->payment", "payment->payments-db");
        assertThat(edges(get("/api/v1/graph?service=payment", 200))).extracting(e -> e.substring(0, e.indexOf(' ')))
                .containsExactly("checkout->payment", "payment->api.stripe.com", "payment->checkout", "payment->payments-db");
        assertThat(edges(get("/api/v1/graph?service=nobody", 200))).isEmpty();
    }

    @Test
    void aBadDepthIs400NamingTheField() throws Exception {
        assertThat(get("/api/v1/graph?depth=0", 400).get("field").asText()).isEqualTo("depth");
        assertThat(get("/api/v1/graph?depth=deep", 400).get("error").asText()).startsWith("depth: expected a whole number 1-10");
    }

    static JsonNode get(String path, int status) throws Exception {
        return JSON.readTree(given().get(path).then().statusCode(status).extract().asString());
    }

    static List<String> edges(JsonNode g) {
        List<String> out = new ArrayList<>();
        g.get("edges").forEach(e -> {
            List<String> origins = new ArrayList<>();
            e.get("origins").forEach(o -> origins.add(o.asText()));
            out.add(e.get("caller").asText() + "->" + e.get("callee").asText() + " " + origins);
        });
        return out;
    }
}
