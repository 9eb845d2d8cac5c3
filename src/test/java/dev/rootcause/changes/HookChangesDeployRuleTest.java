package dev.rootcause.changes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.engine.Engine;
import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.ChangeSourceException;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.changes.ChangesDiffStep;
import dev.rootcause.diagnosis.step.changes.ChangesLatestStep;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.load.RuleParser;
import dev.rootcause.ruletest.replay.ReplayMetricsSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 24, "Done when": each webhook shape creates exactly one change event that the deploy rule then uses. Each
 * recorded body (ChangeHooksTest's fixtures) is moved to the deploy of the shipped rule test
 * {@code rules/tests/http-5xx-after-deploy/deploy-then-5xx} (service checkout, 2025-11-29T10:00:00Z; a fresh deployment id
 * so that runs do not meet), posted through HTTP into the change store, and the shipped rule
 * {@code http-5xx-after-deploy} runs over the store (only that change: the store is shared with other tests) and that
 * scenario's recorded Prometheus answers.
 */
@QuarkusTest
class HookChangesDeployRuleTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SCENARIO = Path.of("rules/tests/http-5xx-after-deploy/deploy-then-5xx");

    @Inject
    ChangeStore store;

    /** The recorded body of {@code shape}, moved to checkout's deploy at 10:00Z, posted; returns the stored change's id. */
    String post(String shape) throws Exception {
        long n = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        ObjectNode body;
        String id;
        switch (shape) {
            case "github" -> {
                body = (ObjectNode) JSON.readTree(ChangeHooksTest.fixture("github-deployment_status.json"));
                ((ObjectNode) body.get("deployment")).put("id", n).putObject("payload").put("service", "checkout");
                ((ObjectNode) body.get("deployment_status")).put("created_at", "2025-11-29T10:00:00Z");
                byte[] bytes = JSON.writeValueAsBytes(body);
                id = ChangeHooksTest.github(bytes, ChangeHooksTest.sign(bytes, ChangeHooksTest.GITHUB_SECRET)).statusCode(201)
                        .extract().path("change.id");
            }
            case "gitlab" -> {
                body = (ObjectNode) JSON.readTree(ChangeHooksTest.fixture("gitlab-deployment.json"));
                body.put("deployment_id", n).put("status_changed_at", "2025-11-29 11:00:00 +0100");
                ((ObjectNode) body.get("project")).put("path_with_namespace", "shop/checkout"); // %test services."shop/checkout"
                id = ChangeHooksTest.gitlab(JSON.writeValueAsBytes(body), "test-gitlab-token").statusCode(201).extract().path("change.id");
            }
            case "pagerduty" -> {
                body = (ObjectNode) JSON.readTree(ChangeHooksTest.fixture("pagerduty-change.json"));
                body.put("routing_key", ChangeHooksTest.PD_KEY); // %test routing-keys.checkout
                ((ObjectNode) body.get("payload")).put("timestamp", "2025-11-29T10:00:00.000+0000");
                ((ObjectNode) body.at("/payload/custom_details")).put("version", "build-" + n);
                id = ChangeHooksTest.post("pagerduty", JSON.writeValueAsBytes(body)).statusCode(202).extract().path("change.id");
            }
            case "argocd" -> {
                body = (ObjectNode) JSON.readTree(ChangeHooksTest.fixture("argocd-app-deployed.json"));
                body.put("service", "checkout").put("revision", "v" + n).put("finishedAt", "2025-11-29T10:00:00Z");
                id = ChangeHooksTest.post("argocd", JSON.writeValueAsBytes(body)).statusCode(201).extract().path("change.id");
            }
            default -> throw new IllegalArgumentException(shape);
        }
        return id;
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "pagerduty", "argocd"})
    void theDeployRuleBlamesTheChangeEachShapeRecorded(String shape) throws Exception {
        String id = post(shape);
        ChangeEvent recorded = store.find(id).orElseThrow().change();
        assertThat(recorded.service()).isEqualTo("checkout");
        assertThat(recorded.time()).isEqualTo(Instant.parse("2025-11-29T10:00:00Z"));
        ChangeSource onlyThis = new ChangeSource() {
            @Override
            public String name() {
                return "api";
            }

            @Override
            public List<ChangeEvent> changes(String service, Instant since, Instant until) throws ChangeSourceException {
                return store.changes(service, since, until).stream().filter(c -> c.id().equals(id)).toList();
            }

            @Override
            public List<ChangeEvent> changes(String service, Instant since, Instant until, Set<String> kinds) throws ChangeSourceException {
                return store.changes(service, since, until, kinds).stream().filter(c -> c.id().equals(id)).toList();
            }
        };
        Diagnosis d = diagnose(onlyThis);
        assertThat(d.rootCause()).as("%s: a root cause", shape).isNotNull();
        assertThat(d.rootCause().summary()).contains("Deploy " + recorded.version() + " of checkout")
                .contains("deploy at 2025-11-29T10:00:00Z").contains("5xx ratio from 0.2% to 8%");
        assertThat(d.rootCause().confidence()).isEqualTo(Confidence.HIGH);
        Evidence deploy = d.evidence().stream().filter(e -> e.step().equals("deploy")).findFirst().orElseThrow();
        assertThat(deploy.values()).containsEntry("id", id).containsEntry("kind", "deploy").containsEntry("source", "deploy")
                .containsEntry("sender", recorded.source());
        assertThat(recorded.source()).isNotBlank();
    }

    Diagnosis diagnose(ChangeSource changes) throws Exception {
        ReplayMetricsSource prometheus = new ReplayMetricsSource(SCENARIO.resolve("prometheus.json"), JSON);
        var conventions = new dev.rootcause.diagnosis.step.metrics.ConventionResolver(prometheus,
                dev.rootcause.rule.MetricConventions.load(Path.of("rules/conventions.yaml")),
                dev.rootcause.rule.ServiceCatalogue.load(Path.of("rules/services.yaml")), java.time.Clock.systemUTC(), Duration.ofMinutes(10));
        List<StepRunner> runners = List.of(new MetricsCompareStep(prometheus, conventions), new ChangesLatestStep(List.of(changes)),
                new ChangesDiffStep(List.of(changes)));
        Rule rule = RuleParser.parseFile(Path.of("rules/http-5xx-after-deploy.yaml"), "http-5xx-after-deploy.yaml",
                new RegisteredStepTypes(runners), Set.of("rate_window"));
        JsonNode alert = JSON.readTree(SCENARIO.resolve("alert.json").toFile());
        Map<String, String> labels = new HashMap<>();
        alert.get("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        AlertContext context = new AlertContext("t", labels, Map.of(), Instant.parse(alert.get("startsAt").asText()),
                Instant.parse(alert.get("evaluatedAt").asText()));
        try (Engine engine = new Engine(runners, 2, Duration.ofSeconds(10))) {
            return engine.run(context, List.of(rule), Map.of("rate_window", "1m"));
        }
    }
}
