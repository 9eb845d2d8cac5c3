package dev.rootcause.changes;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The webhook intakes (issue 24) over the recorded bodies of src/test/resources/changes/hooks (SOURCES.md): each shape
 * gives exactly one change event with its link, author and environment; bad signatures 401; duplicates one change;
 * missing service 400. {@link HookChangesDeployRuleTest} runs the deploy rule over what they store.
 */
@QuarkusTest
class ChangeHooksTest {

    static final Path DIR = Path.of("src/test/resources/changes/hooks");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GITHUB_SECRET = "test-github-secret";
    static final String PD_KEY = "R0UTINGKEYcheckout00000000000000";

    @Inject
    ChangeStore store;

    static byte[] fixture(String name) throws Exception {
        return Files.readAllBytes(DIR.resolve(name));
    }

    static String sign(byte[] body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    static ValidatableResponse github(byte[] body, String signature) {
        var request = given().contentType(ContentType.JSON).header("X-GitHub-Event", "deployment_status").body(body);
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return request.post("/api/v1/changes/github").then();
    }

    static ValidatableResponse gitlab(byte[] body, String token) {
        var request = given().contentType(ContentType.JSON).header("X-Gitlab-Event", "Deployment Hook").body(body);
        if (token != null) {
            request.header("X-Gitlab-Token", token);
        }
        return request.post("/api/v1/changes/gitlab").then();
    }

    static ValidatableResponse post(String hook, byte[] body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/changes/" + hook).then();
    }

    @Test
    void githubStatusesOfOneDeploymentAreOneChange() throws Exception {
        byte[] inProgress = fixture("github-deployment_status-gh-pages.json");
        byte[] success = fixture("github-deployment_status.json");
        github(inProgress, sign(inProgress, GITHUB_SECRET)).statusCode(201).body("status", equalTo("created"))
                .body("change.id", equalTo("github:deployment:145988746"))
                .body("change.service", equalTo("Hello-World"))
                .body("change.version", equalTo("master@f95f852bd8fc"))
                .body("change.kind", equalTo("deploy"))
                .body("change.source", equalTo("github"))
                .body("change.environment", equalTo("github-pages"))
                .body("change.author", equalTo("github-pages[bot]"))
                .body("change.time", equalTo("2022-01-03T01:28:40Z"))
                .body("change.link", equalTo("https://github.com/CorsixTH/CorsixTH/runs/4687056418?check_suite_focus=true"));
        // the success status of the same deployment.id, and a redelivery of it: the change stands as recorded
        github(success, sign(success, GITHUB_SECRET)).statusCode(200).body("status", equalTo("duplicate"))
                .body("change.id", equalTo("github:deployment:145988746")).body("change.environment", equalTo("github-pages"));
        github(success, sign(success, GITHUB_SECRET)).statusCode(200).body("status", equalTo("duplicate"));
        assertThat(store.list("Hello-World", java.util.Set.of(), "github", Instant.parse("2019-01-01T00:00:00Z"), 100))
                .filteredOn(c -> c.change().id().equals("github:deployment:145988746")).hasSize(1);
    }

    @Test
    void githubBadOrMissingSignatureIs401AndRecordsNothing() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(fixture("github-deployment_status.json"));
        ((ObjectNode) body.get("deployment")).put("id", 900_000_001L);
        byte[] bytes = JSON.writeValueAsBytes(body);
        github(bytes, null).statusCode(401).body("field", equalTo("X-Hub-Signature-256"));
        github(bytes, sign(bytes, "another secret")).statusCode(401).body("error", containsString("does not match"));
        github(bytes, "sha256=nothex").statusCode(401);
        // signed over other bytes (a re-serialised body): the signature covers the raw body only
        github(bytes, sign((new String(bytes, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8), GITHUB_SECRET)).statusCode(401);
        assertThat(store.find("github:deployment:900000001")).isEmpty();
        github(bytes, sign(bytes, GITHUB_SECRET)).statusCode(201);
    }

    @Test
    void githubQueuedStatusAndPingAreAnsweredAsIgnored() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(fixture("github-deployment_status.json"));
        ((ObjectNode) body.get("deployment")).put("id", 900_000_002L);
        ((ObjectNode) body.get("deployment_status")).put("state", "queued");
        byte[] bytes = JSON.writeValueAsBytes(body);
        github(bytes, sign(bytes, GITHUB_SECRET)).statusCode(200).body("status", equalTo("ignored"))
                .body("reason", containsString("queued"));
        assertThat(store.find("github:deployment:900000002")).isEmpty();
        byte[] ping = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}".getBytes(StandardCharsets.UTF_8);
        given().contentType(ContentType.JSON).header("X-GitHub-Event", "ping").header("X-Hub-Signature-256", sign(ping, GITHUB_SECRET))
                .body(ping).post("/api/v1/changes/github").then().statusCode(200).body("status", equalTo("ignored"));
    }

    @Test
    void gitlabDeploymentIsOneChangeAndNeedsItsToken() throws Exception {
        byte[] body = fixture("gitlab-deployment.json");
        gitlab(body, null).statusCode(401).body("field", equalTo("X-Gitlab-Token"));
        gitlab(body, "test-gitlab-tokeN").statusCode(401);
        gitlab(body, "test-gitlab-token").statusCode(201)
                .body("change.id", equalTo("gitlab:30:deployment:15"))
                .body("change.service", equalTo("test-deployment-webhooks"))
                .body("change.version", equalTo("279484c0"))
                .body("change.time", equalTo("2021-04-28T19:50:00Z"))
                .body("change.author", equalTo("root"))
                .body("change.environment", equalTo("staging"))
                .body("change.source", equalTo("gitlab"))
                .body("change.link", equalTo("http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796"));
        gitlab(body, "test-gitlab-token").statusCode(200).body("status", equalTo("duplicate"));
        // the "running" status of the same deployment arriving late changes nothing either
        gitlab(new String(body, StandardCharsets.UTF_8).replace("\"status\": \"success\"", "\"status\": \"running\"")
                .getBytes(StandardCharsets.UTF_8), "test-gitlab-token").statusCode(200).body("status", equalTo("duplicate"));
        assertThat(store.list("test-deployment-webhooks", java.util.Set.of(), null, Instant.parse("2021-01-01T00:00:00Z"), 100)).hasSize(1);
        // the next deployment of the project: what ran before is the previous deploy the store knows
        gitlab(new String(body, StandardCharsets.UTF_8).replace("\"deployment_id\": 15", "\"deployment_id\": 16")
                .replace("279484c0", "9f1c2e7a").replace("2021-04-28 21:50:00", "2021-04-29 09:00:00").getBytes(StandardCharsets.UTF_8),
                "test-gitlab-token").statusCode(201).body("change.version", equalTo("9f1c2e7a"))
                .body("change.previousVersion", equalTo("279484c0"));
    }

    @Test
    void pagerDutyWithoutAServiceIs400NamingWhatIsMissingAndNeverEchoesTheRoutingKey() throws Exception {
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(String.valueOf(r.getMessage()) + " " + java.util.Arrays.toString(r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            // the documented example: its routing key is no configured one and custom_details names no service
            post("pagerduty", fixture("pagerduty-change.json")).statusCode(400)
                    .body("field", equalTo("payload.custom_details.service"))
                    .body("error", containsString("rootcause.changes.hooks.pagerduty.routing-keys"))
                    .body(not(containsString("samplekeyhere")));
            ObjectNode body = (ObjectNode) JSON.readTree(fixture("pagerduty-change.json"));
            body.put("routing_key", PD_KEY);
            ((ObjectNode) body.get("payload")).put("summary", "Build Success " + ThreadLocalRandom.current().nextLong());
            byte[] bytes = JSON.writeValueAsBytes(body);
            String created = post("pagerduty", bytes).statusCode(202).body("status", equalTo("success"))
                    .body("created", equalTo(true))
                    .body("change.service", equalTo("checkout"))
                    .body("change.source", equalTo("acme-build-pipeline-tool-default-i-9999"))
                    .body("change.kind", equalTo("deploy"))
                    .body("change.time", equalTo("2020-07-17T08:42:58.315Z"))
                    .body("change.link", equalTo("https://acme.pagerduty.dev/build/2"))
                    .body(not(containsString(PD_KEY))).extract().path("change.id");
            // the same event again is the same change
            post("pagerduty", bytes).statusCode(202).body("created", equalTo(false)).body("change.id", equalTo(created));
            assertThat(created).startsWith("pagerduty:");
            assertThat(store.find(created)).isPresent();
        } finally {
            root.removeHandler(capture);
        }
        assertThat(logged).noneMatch(l -> l.contains(PD_KEY) || l.contains("samplekeyhere"));
    }

    @Test
    void pagerDutyServiceFromCustomDetails() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(fixture("pagerduty-change.json"));
        ObjectNode details = (ObjectNode) body.at("/payload/custom_details");
        details.put("service", "billing").put("version", "7.1.0").put("kind", "config").put("environment", "production");
        post("pagerduty", JSON.writeValueAsBytes(body)).statusCode(202).body("change.service", equalTo("billing"))
                .body("change.version", equalTo("7.1.0")).body("change.kind", equalTo("config"))
                .body("change.environment", equalTo("production"));
        details.put("kind", "release");
        post("pagerduty", JSON.writeValueAsBytes(body)).statusCode(400).body("field", equalTo("payload.custom_details.kind"));
    }

    @Test
    void pagerDutyAlertEventsAreAnsweredAsIgnoredAndStoreNoDeployBadLinksAre400() throws Exception {
        String service = "pd-alert-" + ThreadLocalRandom.current().nextInt(1_000_000);
        String alert = "{\"routing_key\":\"k\",\"event_action\":\"trigger\",\"payload\":{\"summary\":\"CPU high\",\"source\":\"h\","
                + "\"severity\":\"critical\",\"custom_details\":{\"service\":\"" + service + "\"}}}";
        post("pagerduty", alert.getBytes(StandardCharsets.UTF_8)).statusCode(202).body("message", equalTo("Change event ignored"))
                .body("reason", containsString("alert event")).body("change", org.hamcrest.Matchers.nullValue());
        given().get("/api/v1/changes?service=" + service + "&since=1h").then().statusCode(200).body("size()", equalTo(0));
        ObjectNode body = (ObjectNode) JSON.readTree(fixture("pagerduty-change.json"));
        ((ObjectNode) body.at("/payload/custom_details")).put("service", service);
        body.set("links", JSON.readTree("[{\"href\":\"ftp://x\"}]"));
        post("pagerduty", JSON.writeValueAsBytes(body)).statusCode(400).body("field", equalTo("links[0].href"));
        ObjectNode argo = (ObjectNode) JSON.readTree(fixture("argocd-app-deployed.json"));
        post("argocd", JSON.writeValueAsBytes(argo.put("link", "javascript:alert(1)"))).statusCode(400).body("field", equalTo("link"));
        post("argocd", JSON.writeValueAsBytes(argo.put("link", "https://a.example").put("finishedAt", "+10000-01-01T00:00:00Z")))
                .statusCode(400).body("field", equalTo("finishedAt"));
    }

    @Test
    void argoCdNotificationIsOneChangePerRevision() throws Exception {
        byte[] body = fixture("argocd-app-deployed.json");
        post("argocd", body).statusCode(201)
                .body("change.id", equalTo("argocd:argocd:guestbook@53e28ff20cc530b9ada2173fbbd64d48338583ba"))
                .body("change.service", equalTo("guestbook"))
                .body("change.version", equalTo("53e28ff20cc5"))
                .body("change.author", equalTo("automated"))
                .body("change.environment", equalTo("default"))
                .body("change.source", equalTo("argocd"))
                .body("change.link", equalTo("https://argocd.example.com/applications/argocd/guestbook"));
        post("argocd", body).statusCode(200).body("status", equalTo("duplicate"));
        post("argocd", "{\"app\":\"guestbook\"}".getBytes(StandardCharsets.UTF_8)).statusCode(400).body("field", equalTo("revision"));
    }

    @Test
    void malformedBodiesAre400NotLost() {
        post("argocd", "{not json".getBytes(StandardCharsets.UTF_8)).statusCode(400).body("field", equalTo("$"));
        post("pagerduty", "[]".getBytes(StandardCharsets.UTF_8)).statusCode(400).body("field", equalTo("$"));
        post("pagerduty", "{\"routing_key\":\"x\"}".getBytes(StandardCharsets.UTF_8)).statusCode(400).body("field", equalTo("payload"));
    }
}
