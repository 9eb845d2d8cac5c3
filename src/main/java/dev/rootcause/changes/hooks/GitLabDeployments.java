package dev.rootcause.changes.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.changes.ChangeRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;

/**
 * GitLab's deployment events (docs.gitlab.com, "Webhook events", Deployment events; header
 * {@code X-Gitlab-Event: Deployment Hook}) as a change event: one per deployment, id
 * {@code gitlab:<project.id>:deployment:<deployment_id>}, however many status changes arrive.
 *
 * <p>A status counts when the deployment is changing something: {@code running} or {@code success}; {@code created},
 * {@code blocked}, {@code failed} or {@code canceled} first are answered as ignored, with the reason.
 *
 * <p>Mapping: service ← {@code rootcause.changes.hooks.gitlab.services."<path_with_namespace>"}, else {@code project.name};
 * version ← {@code short_sha}; time ← {@code status_changed_at} ({@code 2021-04-28 21:50:00 +0200}); author ←
 * {@code user.username}; environment ← {@code environment}; link ← {@code deployable_url} (the CI job), else
 * {@code commit_url}; kind {@code deploy}; source {@code gitlab}.
 */
public final class GitLabDeployments {

    static final Set<String> COUNTED = Set.of("running", "success");

    private GitLabDeployments() {
    }

    /** Whether the {@code X-Gitlab-Token} header equals the configured token, compared in constant time. */
    public static boolean tokenMatches(String header, String token) {
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param event    the {@code X-Gitlab-Event} header; null is read from the body's {@code object_kind}
     * @param services {@code rootcause.changes.hooks.gitlab.services}
     * @throws ChangeRequest.Rejected naming the field that is missing or malformed
     */
    public static Hooked map(String event, JsonNode body, Map<String, String> services) {
        String kind = HookText.text(body, "object_kind");
        if (event != null && !"Deployment Hook".equals(event) || kind != null && !"deployment".equals(kind)) {
            return Hooked.ignored("event " + (event != null ? event : kind) + " is not a Deployment Hook; only deployments are change events");
        }
        if (kind == null) {
            throw new ChangeRequest.Rejected("object_kind", "required (\"deployment\")");
        }
        String deployment = HookText.required(body, "deployment_id");
        String status = HookText.required(body, "status");
        if (!COUNTED.contains(status)) {
            return Hooked.ignored("deployment " + deployment + " is " + status + ": a change event is recorded at running or success");
        }
        String project = HookText.text(body, "project.path_with_namespace");
        String service = project == null ? null : services.get(project);
        if (service == null) {
            service = HookText.text(body, "project.name");
        }
        if (service == null) {
            throw new ChangeRequest.Rejected("project.name", "required: no service in rootcause.changes.hooks.gitlab.services or project.name");
        }
        String projectId = HookText.text(body, "project.id");
        String id = "gitlab:" + (projectId == null ? "" : HookText.idPart(projectId, 40) + ":") + "deployment:" + HookText.idPart(deployment, 60);
        return Hooked.change(ChangeRequest.of(id, service, HookText.required(body, "short_sha"), null, null,
                HookText.text(body, "user.username"), HookText.time(body, "status_changed_at"), "deploy", "gitlab",
                HookText.text(body, "environment"),
                GitHubDeployments.first(HookText.text(body, "deployable_url"), HookText.text(body, "commit_url"))));
    }
}
