package dev.rootcause.changes.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.changes.ChangeRequest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's {@code deployment_status} webhook (docs.github.com, "Webhook events and payloads", deployment_status) as a
 * change event: one per {@code deployment.id}, id {@code github:deployment:<deployment.id>}, however many statuses
 * arrive (the first status that counts creates it; later ones find it recorded).
 *
 * <p>A status counts when the deployment is changing something: {@code in_progress} or {@code success}. {@code queued},
 * {@code pending}, {@code waiting} have not started; {@code failure} and {@code error} without an earlier
 * {@code in_progress} never changed anything that rootcause can tell; {@code inactive} is an older deployment being
 * superseded. Those are answered as ignored, with the reason.
 *
 * <p>Mapping: service ← {@code rootcause.changes.hooks.github.services."<full_name>"}, else
 * {@code deployment.payload.service}, else {@code repository.name}; version ← {@code deployment.ref@<sha, 12>} (the sha
 * alone when the ref is the sha); time ← {@code deployment_status.created_at}; author ← {@code deployment.creator.login};
 * environment ← {@code deployment_status.environment}, else {@code deployment.environment}; link ←
 * {@code deployment_status.log_url}, {@code target_url}, {@code environment_url}, else the commit's page; kind
 * {@code deploy}; source {@code github}.
 */
public final class GitHubDeployments {

    static final Set<String> COUNTED = Set.of("in_progress", "success");

    private GitHubDeployments() {
    }

    /**
     * Whether {@code signature} ({@code X-Hub-Signature-256}: {@code sha256=<hex>}) is the HMAC-SHA256 of exactly
     * {@code body} under {@code secret}; compared in constant time ({@link MessageDigest#isEqual}).
     */
    public static boolean signed(byte[] body, String signature, String secret) {
        if (signature == null || !signature.startsWith("sha256=")) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.substring(7).strip());
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return MessageDigest.isEqual(mac.doFinal(body), given);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * @param event    the {@code X-GitHub-Event} header ({@code deployment_status}, {@code ping} ...); null is read from the body
     * @param services {@code rootcause.changes.hooks.github.services}
     * @throws ChangeRequest.Rejected naming the field (as a JSON path) that is missing or malformed
     */
    public static Hooked map(String event, JsonNode body, Map<String, String> services) {
        if ("ping".equals(event)) {
            return Hooked.ignored("ping: the webhook reaches rootcause; deployment_status events will be recorded");
        }
        if (event != null && !"deployment_status".equals(event)) {
            return Hooked.ignored("event " + event + " is not deployment_status; only deployment statuses are change events");
        }
        if (!body.path("deployment_status").isObject()) {
            throw new ChangeRequest.Rejected("deployment_status", "required (a deployment_status event)");
        }
        String deployment = HookText.required(body, "deployment.id");
        String state = HookText.required(body, "deployment_status.state");
        if (!COUNTED.contains(state)) {
            return Hooked.ignored("deployment " + deployment + " is " + state + ": a change event is recorded at in_progress or success");
        }
        String repo = HookText.text(body, "repository.full_name");
        String service = repo == null ? null : services.get(repo);
        if (service == null) {
            service = HookText.text(body, "deployment.payload.service");
        }
        if (service == null) {
            service = HookText.text(body, "repository.name");
        }
        if (service == null) {
            throw new ChangeRequest.Rejected("repository.name", "required: no service in rootcause.changes.hooks.github.services, "
                    + "deployment.payload.service or repository.name");
        }
        String sha = HookText.required(body, "deployment.sha");
        String ref = HookText.text(body, "deployment.ref");
        String version = ref == null || ref.equals(sha) ? HookText.shortSha(sha) : ref + "@" + HookText.shortSha(sha);
        String environment = HookText.text(body, "deployment_status.environment");
        String link = first(HookText.text(body, "deployment_status.log_url"), HookText.text(body, "deployment_status.target_url"),
                HookText.text(body, "deployment_status.environment_url"),
                HookText.text(body, "repository.html_url") == null ? null : HookText.text(body, "repository.html_url") + "/commit/" + sha);
        return Hooked.change(ChangeRequest.of("github:deployment:" + HookText.idPart(deployment, 100), service, version, null, null,
                HookText.text(body, "deployment.creator.login"), HookText.time(body, "deployment_status.created_at"), "deploy", "github",
                environment == null ? HookText.text(body, "deployment.environment") : environment, link));
    }

    static String first(String... candidates) {
        for (String c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }
}
