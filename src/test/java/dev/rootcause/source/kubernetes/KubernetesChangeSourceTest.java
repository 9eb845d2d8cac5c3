package dev.rootcause.source.kubernetes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.rootcause.source.kubernetes.KubernetesWireMock.fixture;
import static dev.rootcause.source.kubernetes.KubernetesWireMock.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSourceException;
import dev.rootcause.diagnosis.step.changes.ChangesDiffStep;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kubernetes rollout history against recorded API shapes; outgoing requests (path, selector escaping, token) checked. */
@QuarkusTest
@QuarkusTestResource(value = KubernetesWireMock.class, restrictToAnnotatedClass = true)
class KubernetesChangeSourceTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant SINCE = Instant.parse("2024-05-01T00:00:00Z");
    static final Instant UNTIL = Instant.parse("2024-05-15T00:00:00Z");
    static final String DEPLOYMENT = "/apis/apps/v1/namespaces/shop/deployments/checkout";
    static final String REPLICASETS = "/apis/apps/v1/namespaces/shop/replicasets";

    @Inject
    KubernetesChangeSource kubernetes;

    @BeforeEach
    void reset() {
        server().resetAll();
    }

    void stub(String deployment, String replicaSets) {
        server().stubFor(get(urlEqualTo(DEPLOYMENT)).willReturn(okJson(deployment)));
        server().stubFor(get(urlPathEqualTo(REPLICASETS)).willReturn(okJson(replicaSets)));
    }

    @Test
    void rolloutIsTimedByTheDeploymentsStatusAndDiffsImagesAndEnv() throws Exception {
        stub(fixture("k8s-deployment.json"), fixture("k8s-replicasets.json"));
        List<ChangeEvent> changes = kubernetes.changes("checkout", SINCE, UNTIL);
        assertThat(changes).extracting(ChangeEvent::id).containsExactly("checkout@2", "checkout@1");
        ChangeEvent latest = changes.get(0);
        assertThat(latest.version()).isEqualTo("1.42.0");
        assertThat(latest.previousVersion()).isEqualTo("1.41.3");
        // the Progressing condition's lastUpdateTime, not the ReplicaSet's creationTimestamp (08:55:12)
        assertThat(latest.time()).isEqualTo(Instant.parse("2024-05-14T08:57:40Z"));
        assertThat(latest.note()).isNull();
        assertThat(latest.kind()).isEqualTo("deploy");
        assertThat(latest.source()).isEqualTo("kubernetes");
        assertThat(changes.get(1).note()).contains("creation");
        var diff = ChangesDiffStep.diff(latest);
        assertThat(diff.get("images")).isEqualTo("checkout: registry.example.internal/shop/checkout:1.41.3 → registry.example.internal/shop/checkout:1.42.0");
        assertThat(diff.get("env")).isEqualTo("checkout/PAYMENTS_TIMEOUT_MS: (unset) → 2800");
        server().verify(getRequestedFor(urlEqualTo(DEPLOYMENT)).withHeader("Authorization", equalTo("Bearer " + KubernetesWireMock.TOKEN)));
        // the selector app.kubernetes.io/name=checkout, escaped as a query parameter
        server().verify(getRequestedFor(urlEqualTo(REPLICASETS + "?labelSelector=app.kubernetes.io%2Fname%3Dcheckout"))
                .withHeader("Authorization", equalTo("Bearer " + KubernetesWireMock.TOKEN)));
    }

    @Test
    void revisionsCompareAsNumbersTenAfterNine() throws Exception {
        ObjectNode rs = (ObjectNode) JSON.readTree(fixture("k8s-replicasets.json"));
        revision(rs, 0, "10");
        revision(rs, 1, "9");
        // revision 10 (image 1.41.3) is current; its ReplicaSet is the older one: a rollback to it
        ((ObjectNode) rs.at("/items/0/metadata/annotations")).put("deployment.kubernetes.io/revision-history", "1");
        ObjectNode d = (ObjectNode) JSON.readTree(fixture("k8s-deployment.json"));
        ((ObjectNode) d.at("/metadata/annotations")).put("deployment.kubernetes.io/revision", "10");
        ObjectNode progressing = (ObjectNode) d.at("/status/conditions/1");
        progressing.put("lastUpdateTime", "2024-05-14T09:30:05Z").put("message", "ReplicaSet \"checkout-6d8f9c7b54\" has successfully progressed.");
        stub(d.toString(), rs.toString());
        List<ChangeEvent> changes = kubernetes.changes("checkout", SINCE, UNTIL);
        ChangeEvent latest = changes.get(0);
        assertThat(latest.id()).isEqualTo("checkout@10");
        assertThat(latest.kind()).isEqualTo("rollback");
        assertThat(latest.version()).isEqualTo("1.41.3");
        assertThat(latest.previousVersion()).isEqualTo("1.42.0");
        // the rollout time, not the reused ReplicaSet's creation on 2024-05-02
        assertThat(latest.time()).isEqualTo(Instant.parse("2024-05-14T09:30:05Z"));
        // a window that ends before the rollback sees the deploy of revision 9 as the latest
        assertThat(kubernetes.changes("checkout", SINCE, Instant.parse("2024-05-14T09:00:00Z")))
                .extracting(ChangeEvent::id).containsExactly("checkout@9");
    }

    @Test
    void secretsInEnvAreNeverShown() throws Exception {
        ObjectNode rs = (ObjectNode) JSON.readTree(fixture("k8s-replicasets.json"));
        ArrayNode env = (ArrayNode) rs.at("/items/1/spec/template/spec/containers/0/env");
        env.addObject().put("name", "DB_PASSWORD").put("value", "hunter2-plain");
        env.addObject().put("name", "API_KEY").putObject("valueFrom").putObject("secretKeyRef").put("name", "checkout").put("key", "api");
        stub(fixture("k8s-deployment.json"), rs.toString());
        ChangeEvent latest = kubernetes.changes("checkout", SINCE, UNTIL).get(0);
        assertThat(latest.state().toString()).doesNotContain("hunter2");
        assertThat(latest.state()).containsEntry("env/checkout/DB_PASSWORD", "(hidden)")
                .containsEntry("env/checkout/API_KEY", "(from secret checkout/api)");
    }

    @Test
    void noDeploymentOrNoReplicaSetsIsNoChange() throws Exception {
        server().stubFor(get(urlEqualTo(DEPLOYMENT)).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"deployments.apps \\\"checkout\\\" not found\",\"reason\":\"NotFound\",\"code\":404}")));
        assertThat(kubernetes.changes("checkout", SINCE, UNTIL)).isEmpty();
        stub(fixture("k8s-deployment.json"), "{\"kind\":\"ReplicaSetList\",\"apiVersion\":\"apps/v1\",\"metadata\":{},\"items\":[]}");
        assertThat(kubernetes.changes("checkout", SINCE, UNTIL)).isEmpty();
    }

    @Test
    void forbiddenIsAnErrorWithTheServersMessageAndNoToken() {
        server().stubFor(get(urlEqualTo(DEPLOYMENT)).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"deployments.apps \\\"checkout\\\" is forbidden: User \\\"system:serviceaccount:ops:rootcause\\\" cannot get resource \\\"deployments\\\"\",\"reason\":\"Forbidden\",\"code\":403}")));
        assertThatThrownBy(() -> kubernetes.changes("checkout", SINCE, UNTIL)).isInstanceOf(ChangeSourceException.class)
                .hasMessageContaining("403").hasMessageContaining("cannot get resource")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KubernetesWireMock.TOKEN))
                .satisfies(e -> assertThat(((ChangeSourceException) e).status()).isEqualTo(Evidence.Status.ERROR));
        server().verify(1, getRequestedFor(urlEqualTo(DEPLOYMENT)));
    }

    @Test
    void serverErrorIsRetried() throws Exception {
        server().stubFor(get(urlEqualTo(DEPLOYMENT)).inScenario("5xx").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody("etcd leader changed")).willSetStateTo("ok"));
        server().stubFor(get(urlEqualTo(DEPLOYMENT)).inScenario("5xx").whenScenarioStateIs("ok")
                .willReturn(okJson(fixture("k8s-deployment.json"))));
        server().stubFor(get(urlPathEqualTo(REPLICASETS)).willReturn(okJson(fixture("k8s-replicasets.json"))));
        assertThat(kubernetes.changes("checkout", SINCE, UNTIL)).hasSize(2);
        server().verify(2, getRequestedFor(urlEqualTo(DEPLOYMENT)));
    }

    @Test
    void persistentServerErrorGivesUpAfterRetriesWithTheStatus() {
        server().stubFor(get(urlEqualTo(DEPLOYMENT)).willReturn(aResponse().withStatus(500).withBody("{\"kind\":\"Status\",\"message\":\"internal error\"}")));
        assertThatThrownBy(() -> kubernetes.changes("checkout", SINCE, UNTIL)).isInstanceOf(ChangeSourceException.class)
                .hasMessageContaining("500 (after retries): internal error");
        server().verify(3, getRequestedFor(urlEqualTo(DEPLOYMENT)));
    }

    @Test
    void tooManyRequestsWaitsAsRetryAfterSays() throws Exception {
        server().stubFor(get(urlEqualTo(DEPLOYMENT)).inScenario("429").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("{\"message\":\"too many requests\"}"))
                .willSetStateTo("ok"));
        server().stubFor(get(urlEqualTo(DEPLOYMENT)).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(okJson(fixture("k8s-deployment.json"))));
        server().stubFor(get(urlPathEqualTo(REPLICASETS)).willReturn(okJson(fixture("k8s-replicasets.json"))));
        assertThat(kubernetes.changes("checkout", SINCE, UNTIL)).hasSize(2);
        var requests = server().findAll(getRequestedFor(urlEqualTo(DEPLOYMENT)));
        assertThat(requests).hasSize(2);
        long waitedMillis = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
        assertThat(waitedMillis).isGreaterThanOrEqualTo(950);
    }

    @Test
    void slowApiServerIsATimeout() {
        server().stubFor(get(urlEqualTo(DEPLOYMENT)).willReturn(okJson(fixture("k8s-deployment.json")).withFixedDelay(2500)));
        assertThatThrownBy(() -> kubernetes.changes("checkout", SINCE, UNTIL)).isInstanceOf(ChangeSourceException.class)
                .satisfies(e -> assertThat(((ChangeSourceException) e).status()).isEqualTo(Evidence.Status.TIMEOUT))
                .hasMessageContaining("did not answer within 1s");
    }

    private static void revision(ObjectNode list, int item, String revision) {
        ((ObjectNode) list.at("/items/" + item + "/metadata/annotations")).put("deployment.kubernetes.io/revision", revision);
    }
}
