package dev.rootcause.diagnosis.step.probes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.RuleException;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.rule.load.RuleParser;
import dev.rootcause.ruletest.replay.ReplayHttpProber;
import dev.rootcause.source.probes.JdkHttpProber;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code probe.http} end to end over real HTTP: parallel probes, outputs for CEL, and every way to sneak a URL in refused. */
class ProbeHttpStepTest {

    static WireMockServer deps;
    static WireMockServer attacker;
    ServiceCatalogue catalogue;
    ProbeHttpStep step;

    @BeforeAll
    static void start() throws Exception {
        deps = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        deps.start();
        attacker = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        attacker.start();
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + deps.port() + "/warm-up")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
    }

    @AfterAll
    static void stop() {
        deps.stop();
        attacker.stop();
    }

    @BeforeEach
    void setUp(@TempDir Path dir) throws IOException {
        deps.resetAll();
        attacker.resetAll();
        Files.writeString(dir.resolve("services.yaml"), """
                services:
                  checkout:
                    owner: team-payments
                    labels: { service: checkout, job: checkout-api }
                    dependencies:
                      - { name: auth,    health: "BASE/auth",    timeout: 1500ms, retries: 0 }
                      - { name: payment, health: "BASE/payment", timeout: 2000ms, retries: 0 }
                      - { name: config,  health: "BASE/config",  timeout: 1000ms, retries: 0 }
                """.replace("BASE", "http://127.0.0.1:" + deps.port()));
        catalogue = ServiceCatalogue.load(dir.resolve("services.yaml"));
        step = new ProbeHttpStep(catalogue, JdkHttpProber.over(catalogue));
    }

    private Evidence run(Map<String, Object> with, Map<String, String> labels) {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");
        AlertContext alert = new AlertContext("t", labels, Map.of(), now.minusSeconds(60), now);
        return step.run(new Rule.Step("probes", "probe.http", List.of(), with, null), alert,
                Map.of("service", labels.getOrDefault("service", "")), Map.of());
    }

    @Test
    void aDependencyRootcauseCannotConnectToIsUnreachableFromRootcauseNotFailing(@TempDir Path dir) throws IOException {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // nothing listens there once closed: the connection is refused
        }
        Files.writeString(dir.resolve("services.yaml"), """
                services:
                  checkout:
                    owner: team-payments
                    dependencies:
                      - { name: auth,    health: "BASE/auth",    timeout: 1500ms, retries: 0 }
                      - { name: payment, health: "BASE/payment", timeout: 1500ms, retries: 0 }
                      - { name: config,  health: "CLOSED/config", timeout: 1000ms, retries: 0 }
                """.replace("BASE", "http://127.0.0.1:" + deps.port()).replace("CLOSED", "http://127.0.0.1:" + closed));
        ServiceCatalogue c = ServiceCatalogue.load(dir.resolve("services.yaml"));
        step = new ProbeHttpStep(c, JdkHttpProber.over(c));
        deps.stubFor(get("/auth").willReturn(aResponse().withStatus(200)));
        deps.stubFor(get("/payment").willReturn(aResponse().withStatus(503).withBody("bank down")));
        Evidence e = run(Map.of("service", "$service"), Map.of("service", "checkout"));
        assertThat(e.status()).isEqualTo(Evidence.Status.OK);
        assertThat(e.values()).containsEntry("failing", 1L).containsEntry("failing_names", "payment")
                .containsEntry("unreachable", 1L).containsEntry("unreachable_names", "config").containsEntry("healthy", 1L)
                .containsEntry("config.outcome", "unreachable");
        assertThat(e.reason()).startsWith("unreachable from rootcause: config (connection failed")
                .contains("not evidence that config is down: check the health URL in services.yaml and the network path from rootcause");

        deps.stubFor(get("/payment").willReturn(aResponse().withStatus(200)));
        Files.writeString(dir.resolve("services.yaml"), """
                services:
                  checkout:
                    owner: team-payments
                    dependencies:
                      - { name: config,  health: "CLOSED/config", timeout: 1000ms, retries: 0 }
                """.replace("CLOSED", "http://127.0.0.1:" + closed));
        ServiceCatalogue only = ServiceCatalogue.load(dir.resolve("services.yaml"));
        step = new ProbeHttpStep(only, JdkHttpProber.over(only));
        Evidence none = run(Map.of("service", "$service"), Map.of("service", "checkout"));
        assertThat(none.status()).as("nothing answered: not checked, neither down nor healthy").isEqualTo(Evidence.Status.NO_DATA);
        assertThat(none.values()).containsEntry("failing", 0L).containsEntry("unreachable", 1L);
        assertThat(none.reason()).startsWith("unreachable from rootcause: config");
    }

    @Test
    void aDependencyWithoutAHealthUrlIsNotProbedAndSaysSo(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("services.yaml"), """
                services:
                  checkout:
                    owner: team-payments
                    dependencies:
                      - { name: auth, health: "BASE/auth", timeout: 1500ms }
                      - { name: payments-db }
                  ledger:
                    owner: team-payments
                    dependencies:
                      - { name: ledger-queue }
                """.replace("BASE", "http://127.0.0.1:" + deps.port()));
        ServiceCatalogue c = ServiceCatalogue.load(dir.resolve("services.yaml"));
        step = new ProbeHttpStep(c, JdkHttpProber.over(c));
        deps.stubFor(get("/auth").willReturn(aResponse().withStatus(200)));

        Evidence mixed = run(Map.of("service", "$service"), Map.of("service", "checkout"));
        assertThat(mixed.status()).isEqualTo(Evidence.Status.OK);
        assertThat(mixed.reason()).isEqualTo("not probed: no health URL for payments-db");
        assertThat(mixed.values()).containsEntry("dependencies", 1L).containsEntry("healthy", 1L)
                .containsEntry("not_probed_names", "payments-db");

        Evidence one = run(Map.of("service", "$service", "dependency", "payments-db"), Map.of("service", "checkout"));
        assertThat(one.status()).isEqualTo(Evidence.Status.NO_DATA);
        assertThat(one.reason()).isEqualTo("not probed: no health URL in services.yaml for payments-db (dependencies of checkout)");

        Evidence none = run(Map.of("service", "$service"), Map.of("service", "ledger"));
        assertThat(none.status()).isEqualTo(Evidence.Status.NO_DATA);
        assertThat(none.values()).containsEntry("not_probed_names", "ledger-queue");
        assertThat(deps.getAllServeEvents()).hasSize(1);
    }

    @Test
    void probesEveryDependencyInParallelAndNamesTheFailingAndTheSlowest(@TempDir Path dir) throws IOException {
        // margins of 400 ms or more between every delay, threshold (half the timeout) and timeout, so a loaded
        // machine's jitter cannot change which answer is slow, slowest or timed out
        Files.writeString(dir.resolve("services.yaml"), """
                services:
                  checkout:
                    owner: team-payments
                    labels: { service: checkout }
                    dependencies:
                      - { name: auth,    health: "BASE/auth",    timeout: 4000ms, retries: 0 }
                      - { name: payment, health: "BASE/payment", timeout: 4000ms, retries: 0 }
                      - { name: config,  health: "BASE/config",  timeout: 2000ms, retries: 0 }
                """.replace("BASE", "http://127.0.0.1:" + deps.port()));
        ServiceCatalogue c = ServiceCatalogue.load(dir.resolve("services.yaml"));
        step = new ProbeHttpStep(c, JdkHttpProber.over(c));
        deps.stubFor(get("/auth").willReturn(aResponse().withStatus(200).withFixedDelay(2500)));
        deps.stubFor(get("/payment").willReturn(aResponse().withStatus(503).withBody("bank down").withFixedDelay(1200)));
        deps.stubFor(get("/config").willReturn(aResponse().withStatus(200).withFixedDelay(1400)));
        Evidence e = run(Map.of("service", "$service"), Map.of("service", "checkout"));
        // in parallel: all three were asked before the quickest could answer (one after the other, the third
        // request would come 2.6 s or more after the first)
        List<Long> asked = deps.getAllServeEvents().stream().map(ev -> ev.getRequest().getLoggedDate().getTime()).sorted().toList();
        assertThat(asked).hasSize(3);
        assertThat(asked.get(2) - asked.get(0)).as("ms between the first and the last request").isLessThan(1200L);
        assertThat(e.status()).isEqualTo(Evidence.Status.OK);
        assertThat(e.kind()).isEqualTo("probe");
        assertThat(e.query()).contains("GET http://127.0.0.1:" + deps.port() + "/payment (payment)");
        assertThat(e.values()).containsEntry("service", "checkout").containsEntry("dependencies", 3L)
                .containsEntry("failing", 1L).containsEntry("failing_names", "payment").containsEntry("healthy", 2L)
                .containsEntry("slow", 2L).containsEntry("slow_names", "auth,config").containsEntry("slowest", "auth")
                .containsEntry("payment.outcome", "unhealthy").containsEntry("payment.code", 503L)
                .containsEntry("payment.error", "HTTP 503: bank down").containsEntry("auth.code", 200L);
        assertThat((double) e.values().get("slowest_ms")).isGreaterThanOrEqualTo(2500.0);
    }

    @Test
    void oneNamedDependencyOnly() {
        deps.stubFor(get("/config").willReturn(aResponse().withStatus(200)));
        Evidence e = run(Map.of("service", "checkout", "dependency", "config"), Map.of());
        assertThat(e.status()).isEqualTo(Evidence.Status.OK);
        assertThat(e.values()).containsEntry("dependencies", 1L).containsEntry("failing", 0L).containsEntry("failing_names", "");
        deps.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void anAlertLabelHoldingAUrlProbesNothing() {
        String url = "http://127.0.0.1:" + attacker.port() + "/steal";
        Evidence e = run(Map.of("service", "$service"), Map.of("service", url));
        assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA);
        assertThat(e.reason()).isEqualTo("refused: service \"" + url + "\" is not in the service catalogue (services.yaml) and no"
                + " label of the alert maps to one; probes reach only catalogued URLs, so nothing was probed");
        attacker.verify(0, anyRequestedFor(anyUrl()));
        deps.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anUncataloguedServiceNameFallsBackToTheLabelMappingAndSaysSo() {
        deps.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200)));
        Evidence e = run(Map.of("service", "$service"), Map.of("service", "checkout-v2", "job", "checkout-api"));
        assertThat(e.status()).isEqualTo(Evidence.Status.OK);
        assertThat(e.reason()).isEqualTo("service \"checkout-v2\" is not catalogued; probed checkout, which the alert's labels name"
                + " (job=checkout-api)");
        attacker.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aDependencyNotInTheCatalogueIsRefused() {
        Evidence e = run(Map.of("service", "checkout", "dependency", "$service"), Map.of("service", "metadata"));
        assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA);
        assertThat(e.reason()).startsWith("refused: \"metadata\" is not a dependency of checkout in services.yaml (it lists: auth,"
                + " payment, config)");
        deps.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aRuleCannotPassAUrl(@TempDir Path dir) throws IOException {
        var types = new RegisteredStepTypes(List.of(step));
        for (String with : List.of("{service: checkout, url: 'http://evil/'}", "{service: 'http://evil/'}",
                "{service: checkout, dependency: 'https://evil/x'}")) {
            Path rule = dir.resolve("r.yaml");
            Files.writeString(rule, """
                    id: sneaky
                    title: t
                    match: ['alertname="X"']
                    steps:
                      - id: p
                        type: probe.http
                        with: WITH
                    findings: []
                    """.replace("WITH", with));
            assertThatThrownBy(() -> RuleParser.parseFile(rule, "r.yaml", types, Set.of())).isInstanceOf(RuleException.class)
                    .hasMessageStartingWith("r.yaml:5: step p: with.")
                    .hasMessageContaining("probes reach only the health URLs listed");
        }
    }

    @Test
    void noProberMeansErrorNotHealthy() {
        step = new ProbeHttpStep(catalogue, new ReplayHttpProber());
        Evidence e = run(Map.of("service", "checkout"), Map.of());
        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).startsWith("no recorded probe for http://127.0.0.1:");
        assertThat(e.values()).doesNotContainKey("failing");
    }
}
