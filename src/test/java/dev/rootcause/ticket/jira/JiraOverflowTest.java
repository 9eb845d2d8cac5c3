package dev.rootcause.ticket.jira;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.report.Report;
import dev.rootcause.report.render.jira.JiraRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A description over Jira's 32,767-character text field (JRACLOUD-78553: Cloud answers 400 CONTENT_LIMIT_EXCEEDED)
 * continues in comments instead of being cut: wiki markup (Data Center) split at line breaks, ADF (Cloud) between
 * blocks; nothing of the report is lost and every part fits.
 */
class JiraOverflowTest {

    private final ObjectMapper json = new ObjectMapper();

    static Report huge() {
        return huge(7);
    }

    /** {@link Reports#sample} with its first evidence repeated 400 times: a report over two Jira descriptions long. */
    static Report huge(long incidentId) {
        Report big = Reports.sample(incidentId);
        var many = new ArrayList<>(big.diagnosis().evidence());
        for (int i = 0; i < 400; i++) {
            many.add(big.diagnosis().evidence().get(0));
        }
        var d = big.diagnosis();
        return new Report(incidentId, big.title(), big.severity(), big.createdAt(), new dev.rootcause.diagnosis.Diagnosis(d.alert(),
                d.rules(), many, d.findings(), d.rootCause(), d.partial(), d.runbook(), d.layers()), "");
    }

    @Test
    void wikiOverTheLimitContinuesInCommentsWithNothingLost() {
        Report r = huge();
        JiraDescription d = JiraDescription.of(false, r.outline(), Optional.of("https://rc.example/incidents/7"), json);
        String whole = JiraRenderer.wikiParts(r.outline(), "[Incident page|https://rc.example/incidents/7]\n\n", Integer.MAX_VALUE).get(0);
        assertThat(whole.length()).as("the sample is over two descriptions").isGreaterThan(2 * JiraRenderer.MAX_CHARS);
        assertThat(d.parts()).hasSizeGreaterThan(2);
        String description = d.first().asText();
        assertThat(description.length()).isLessThanOrEqualTo(JiraRenderer.MAX_CHARS);
        assertThat(description).startsWith("[Incident page|https://rc.example/incidents/7]")
                .endsWith("_(The report is longer than Jira's 32,767-character description: it continues in the first "
                        + (d.parts().size() - 1) + " comments below.)_");
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < d.parts().size(); i++) {
            joined.append(d.parts().get(i).asText());
            if (i > 0) {
                String body = JiraDescription.comment(d.parts().get(i), "Report, continued (" + i + "/" + (d.parts().size() - 1) + "):",
                        "rootcause effect ticket.open/incident-7/part-" + i, json).get("body").asText();
                assertThat(body.length()).isLessThanOrEqualTo(JiraRenderer.MAX_CHARS);
                assertThat(body).startsWith("*Report, continued (" + i + "/").endsWith("rootcause effect ticket.open/incident-7/part-" + i);
            }
        }
        assertThat(joined.toString()).as("nothing of the report is lost").isEqualTo(whole);
    }

    @Test
    void adfOverTheLimitContinuesInCommentsBetweenBlocks() {
        Report r = huge();
        JiraDescription d = JiraDescription.of(true, r.outline(), Optional.empty(), json);
        assertThat(d.parts()).hasSizeGreaterThan(2);
        assertThat(d.first().toString().length()).isLessThanOrEqualTo(JiraRenderer.MAX_CHARS);
        JsonNode content = d.first().get("content");
        assertThat(content.get(content.size() - 1).at("/content/0/text").asText()).startsWith("(The report is longer than Jira's");
        int blocks = 0;
        for (JsonNode part : d.parts()) {
            assertThat(part.toString()).doesNotContain("report cut to Jira's");
            blocks += part.get("content").size();
            JsonNode comment = JiraDescription.comment(part, "Report, continued", "rootcause effect x", json).get("body");
            assertThat(comment.toString().length()).isLessThanOrEqualTo(JiraRenderer.MAX_CHARS);
        }
        // every block of the whole document is in one part: none dropped
        assertThat(blocks).isEqualTo(JiraRenderer.adfParts(r.outline(), json, Integer.MAX_VALUE).get(0).get("content").size());
        List<String> last = new ArrayList<>();
        d.parts().get(d.parts().size() - 1).get("content").forEach(b -> last.add(b.get("type").asText()));
        assertThat(last).isNotEmpty();
    }
}
