package dev.rootcause.changes.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.changes.ChangeRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the PagerDuty and Argo CD mappings refuse or ignore: alert events are no change, a bad link or a year outside
 * 0000–9999 is a 400 naming its field (as {@code POST /api/v1/changes} answers), never a change stored without it.
 */
class HookBodiesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DIR = Path.of("src/test/resources/changes/hooks");

    static ObjectNode fixture(String name) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readAllBytes(DIR.resolve(name)));
    }

    static Hooked pagerDuty(JsonNode body) {
        return PagerDutyChanges.map(body, Map.of("checkout", "k"), JSON);
    }

    static void refusedNaming(Runnable map, String field) {
        assertThatThrownBy(map::run).isInstanceOfSatisfying(ChangeRequest.Rejected.class, e -> assertThat(e.field).isEqualTo(field));
    }

    @ParameterizedTest
    @ValueSource(strings = {"trigger", "acknowledge", "resolve"})
    void pagerDutyAlertEventsAreIgnoredWithTheReasonNotRecordedAsDeploys(String action) throws Exception {
        JsonNode body = JSON.readTree("{\"routing_key\":\"k\",\"event_action\":\"" + action + "\",\"payload\":{\"summary\":\"CPU high\","
                + "\"source\":\"h\",\"severity\":\"critical\",\"custom_details\":{\"service\":\"checkout\"}}}");
        Hooked hooked = pagerDuty(body);
        assertThat(hooked.change()).isNull();
        assertThat(hooked.ignored()).contains("alert event").contains("event_action");
    }

    @Test
    void aPagerDutyBodyWithADedupKeyIsAnAlertEventToo() throws Exception {
        ObjectNode body = fixture("pagerduty-change.json").put("routing_key", "k").put("dedup_key", "d1");
        Hooked hooked = pagerDuty(body);
        assertThat(hooked.change()).isNull();
        assertThat(hooked.ignored()).contains("dedup_key");
        body.remove("dedup_key");
        assertThat(pagerDuty(body).change().service()).isEqualTo("checkout");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[{\"href\":\"ftp://x\"}]|links[0].href",
        "[{\"href\":\"x\"}]|links[0].href",
        "[{\"text\":\"no href\"}]|links[0].href",
        "[\"https://x.example\"]|links[0]",
        "{\"href\":\"x\"}|links",
        "{\"href\":\"https://x.example\"}|links",
    })
    void aBadPagerDutyLinkIsRefusedNamingIt(String links, String field) throws Exception {
        ObjectNode body = fixture("pagerduty-change.json").put("routing_key", "k");
        body.set("links", JSON.readTree(links));
        refusedNaming(() -> pagerDuty(body), field);
    }

    @Test
    void noPagerDutyLinksIsNoLink() throws Exception {
        ObjectNode body = fixture("pagerduty-change.json").put("routing_key", "k");
        assertThat(pagerDuty(body).change().link()).isEqualTo("https://acme.pagerduty.dev/build/2");
        body.set("links", JSON.createArrayNode());
        assertThat(pagerDuty(body).change().link()).isNull();
        body.remove("links");
        assertThat(pagerDuty(body).change().link()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "ftp://argocd.example/x", "argocd.example/applications"})
    void aBadArgoCdLinkIsRefusedNamingIt(String link) throws Exception {
        ObjectNode body = fixture("argocd-app-deployed.json").put("link", link);
        refusedNaming(() -> ArgoCdNotifications.map(body), "link");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00"})
    void yearsOutside0000To9999AreRefusedNamingTheField(String time) throws Exception {
        ObjectNode argo = fixture("argocd-app-deployed.json").put("finishedAt", time);
        refusedNaming(() -> ArgoCdNotifications.map(argo), "finishedAt");
        ObjectNode pd = fixture("pagerduty-change.json").put("routing_key", "k");
        ((ObjectNode) pd.get("payload")).put("timestamp", time);
        refusedNaming(() -> pagerDuty(pd), "payload.timestamp");
    }

    @Test
    void theLastInstantOfYear9999IsRead() throws Exception {
        ObjectNode body = fixture("argocd-app-deployed.json").put("finishedAt", "9999-12-31T23:59:59Z");
        assertThat(ArgoCdNotifications.map(body).change().time()).hasToString("9999-12-31T23:59:59Z");
    }
}
