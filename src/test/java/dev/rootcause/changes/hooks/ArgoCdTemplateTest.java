package dev.rootcause.changes.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rootcause.changes.ChangeRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped Argo CD notification template (deploy/argocd/rootcause-notifications.yaml) against what
 * {@link ArgoCdNotifications} reads. Argo CD does not run here: each {@code {{toJson <path>}}} is replaced by the JSON
 * of a sample value for its path, as Go's template would write it; the result must be JSON that maps to one change.
 */
class ArgoCdTemplateTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A sample Application's values by template path; a path missing here is a field the template reads that we did not expect. */
    static final Map<String, Object> APP = Map.of(
            ".app.metadata.name", "checkout",
            ".app.metadata.namespace", "argocd",
            "(index .app.metadata.annotations \"rootcause.dev/service\")", "checkout-api",
            ".app.status.operationState.syncResult.revision", "53e28ff20cc530b9ada2173fbbd64d48338583ba",
            ".app.status.operationState.finishedAt", "2024-05-14T08:55:12Z",
            ".app.status.operationState.operation.initiatedBy.username", "alice",
            ".app.status.operationState.operation.initiatedBy.automated", false,
            ".app.spec.destination.namespace", "shop-prod",
            "(printf \"%s/applications/%s/%s\" .context.argocdUrl .app.metadata.namespace .app.metadata.name)",
            "https://argocd.example.com/applications/argocd/checkout");

    @Test
    void theTemplateWritesTheBodyTheEndpointReads() throws Exception {
        JsonNode cm = new YAMLMapper().readTree(Path.of("deploy/argocd/rootcause-notifications.yaml").toFile());
        JsonNode template = new YAMLMapper().readTree(cm.at("/data/template.rootcause-change").asText());
        String body = template.at("/webhook/rootcause/body").asText();
        Matcher m = Pattern.compile("\\{\\{toJson (.+?)}}").matcher(body);
        StringBuilder rendered = new StringBuilder();
        while (m.find()) {
            assertThat(APP).as("a sample for %s", m.group(1)).containsKey(m.group(1));
            m.appendReplacement(rendered, Matcher.quoteReplacement(JSON.writeValueAsString(APP.get(m.group(1)))));
        }
        m.appendTail(rendered);
        assertThat(rendered.toString()).doesNotContain("{{");
        ChangeRequest change = ArgoCdNotifications.map(JSON.readTree(rendered.toString())).change();
        assertThat(change.id()).isEqualTo("argocd:argocd:checkout@53e28ff20cc530b9ada2173fbbd64d48338583ba");
        assertThat(change.service()).isEqualTo("checkout-api");
        assertThat(change.version()).isEqualTo("53e28ff20cc5");
        assertThat(change.author()).isEqualTo("alice");
        assertThat(change.environment()).isEqualTo("shop-prod");
        assertThat(change.source()).isEqualTo("argocd");
        assertThat(change.link()).isEqualTo("https://argocd.example.com/applications/argocd/checkout");
        // the trigger sends this template
        assertThat(cm.at("/data/trigger.on-deployed-rootcause").asText()).contains("send: [rootcause-change]");
    }

    @Test
    void nullsFromAnApplicationWithoutTheAnnotationFallBackToTheAppName() throws Exception {
        ChangeRequest change = ArgoCdNotifications.map(JSON.readTree("{\"app\":\"guestbook\",\"namespace\":\"argocd\",\"service\":null,"
                + "\"revision\":\"1.2.0\",\"finishedAt\":null,\"initiatedBy\":null,\"automated\":true,\"environment\":null,\"link\":null}")).change();
        assertThat(change.service()).isEqualTo("guestbook");
        assertThat(change.author()).isEqualTo("automated");
        assertThat(change.time()).isNull();
    }
}
