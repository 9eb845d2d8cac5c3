package dev.rootcause.changes.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.changes.ChangeRequest;

/**
 * What rootcause's Argo CD notification template ({@code deploy/argocd/rootcause-notifications.yaml}, docs/changes.md)
 * sends when the trigger {@code on-deployed-rootcause} fires (the catalogue's {@code on-deployed} condition: synced and
 * healthy, once per revision). Argo CD notifications have no fixed body; this is the one the template writes:
 *
 * <pre>{"app": "checkout", "namespace": "argocd", "service": null | "checkout", "revision": "&lt;git sha or chart version&gt;",
 *  "finishedAt": "2024-05-14T08:55:12Z", "initiatedBy": "alice" | "", "automated": true | false | null,
 *  "environment": "&lt;destination namespace&gt;", "link": "https://argocd.example/applications/argocd/checkout"}</pre>
 *
 * <p>Mapping: id {@code argocd:<namespace>:<app>@<revision>} (one per revision, as the trigger fires); service ←
 * {@code service} (the Application's annotation {@code rootcause.dev/service}), else {@code app}; version ←
 * {@code revision} (a git sha shortened to 12); time ← {@code finishedAt}; author ← {@code initiatedBy}, else
 * {@code automated} when Argo CD's automated sync ran it; kind {@code deploy}; source {@code argocd}; link ← {@code link} (400 unless an http(s)
 * URL, as the change API answers).
 */
public final class ArgoCdNotifications {

    private ArgoCdNotifications() {
    }

    /** @throws ChangeRequest.Rejected naming the field that is missing or malformed */
    public static Hooked map(JsonNode body) {
        String app = HookText.required(body, "app");
        String revision = HookText.required(body, "revision");
        String namespace = HookText.text(body, "namespace");
        String service = HookText.text(body, "service");
        String author = HookText.text(body, "initiatedBy");
        if (author == null && body.path("automated").asBoolean(false)) {
            author = "automated";
        }
        String id = "argocd:" + (namespace == null ? "" : HookText.idPart(namespace, 63) + ":") + HookText.idPart(app, 63) + "@"
                + HookText.idPart(revision, 60);
        return Hooked.change(ChangeRequest.of(id, service == null ? app : service, HookText.shortSha(revision), null, null, author,
                HookText.time(body, "finishedAt"), "deploy", "argocd", HookText.text(body, "environment"),
                ChangeRequest.link("link", HookText.text(body, "link"))));
    }
}
