package dev.rootcause.ticket.jira;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.report.Report;
import dev.rootcause.report.render.jira.JiraRenderer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report as Jira wiki markup (v2) and as ADF (v3); the summary limit. */
class JiraDescriptionTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void wikiMarkupEscapesTextAndKeepsQueriesVerbatim() {
        String wiki = JiraRenderer.wiki(Reports.sample(7).outline());
        // line 1: the symptom with its number and window (issue 19); then the cause
        assertThat(wiki).startsWith("checkout alert: errors 0.1% → 12% (mean before vs after, 02:30–03:00 UTC)");
        assertThat(wiki).contains("\n\n*Root cause (confidence: medium; metric evidence):* Deploy v2.3.1 of checkout raised the 5xx ratio"
                + " from 0.1% to 12% \\| see \\[deploy\\]\n");
        assertThat(wiki).contains("h2. Layered verdict\n\n||layer||checked||showed||\n|application|http-5xx/bad-deploy|cause found|\n");
        assertThat(wiki).contains("{noformat}\nsum(rate(http_requests_total{service=\"checkout\",code=~\"5..\"}[5m]))\n{noformat}");
        assertThat(wiki).contains("[Open in prometheus|http://prometheus:9090/graph?g0.expr=x]");
        assertThat(wiki).contains("h2. Not checked\n\n* logs: timeout — loki: no answer within 5s");
        assertThat(wiki).contains("[https://runbooks.example/http\u002d5xx|https://runbooks.example/http-5xx]");
        assertThat(wiki).contains("*Partial report* — sources that could not answer:");
    }

    @Test
    void adfIsADocOfBlocksWithTextAsData() {
        JsonNode doc = JiraRenderer.adf(Reports.sample(7).outline(), json);
        assertThat(doc.get("type").asText()).isEqualTo("doc");
        assertThat(doc.get("version").asInt()).isEqualTo(1);
        assertThat(doc.at("/content/0/content/0/text").asText()).startsWith("checkout alert: errors 0.1% → 12%");
        JsonNode first = doc.at("/content/1");
        assertThat(first.get("type").asText()).isEqualTo("paragraph");
        assertThat(first.at("/content/0/marks/0/type").asText()).isEqualTo("strong");
        assertThat(first.at("/content/1/text").asText()).endsWith("12% | see [deploy]");
        List<String> types = new ArrayList<>();
        doc.get("content").forEach(n -> types.add(n.get("type").asText()));
        assertThat(types).contains("heading", "table", "codeBlock", "bulletList");
        JsonNode table = find(doc, "table");
        assertThat(table.at("/content/0/content/0/type").asText()).isEqualTo("tableHeader");
        assertThat(table.at("/content/1/content/0/type").asText()).isEqualTo("tableCell");
        assertThat(table.at("/content/1/content/0/content/0/type").asText()).isEqualTo("paragraph");
        assertThat(doc.toString()).contains("{\"type\":\"link\",\"attrs\":{\"href\":\"http://prometheus:9090/graph?g0.expr=x\"}}");
        assertThat(doc.toString()).doesNotContain("\"text\":\"\"");
    }

    @Test
    void longReportsAreCutToJirasFieldLimitInBothFormats() {
        Report big = Reports.sample(7);
        var many = new ArrayList<>(big.diagnosis().evidence());
        for (int i = 0; i < 400; i++) {
            many.add(big.diagnosis().evidence().get(0));
        }
        var d = big.diagnosis();
        Report huge = new Report(7, big.title(), big.severity(), big.createdAt(), new dev.rootcause.diagnosis.Diagnosis(d.alert(),
                d.rules(), many, d.findings(), d.rootCause(), d.partial(), d.runbook(), d.layers()), "");
        String wiki = JiraRenderer.wiki(huge.outline());
        assertThat(wiki.length()).isLessThanOrEqualTo(JiraRenderer.MAX_CHARS);
        assertThat(wiki).endsWith("_(report cut to Jira's 32767-character limit)_");
        JsonNode doc = JiraRenderer.adf(huge.outline(), json);
        assertThat(doc.toString().length()).isLessThanOrEqualTo(JiraRenderer.MAX_CHARS);
        assertThat(doc.toString()).contains("(report cut to Jira's 32767-character limit)");
    }

    @Test
    void summaryIsOneLineOfAtMost255CharactersNeverSplittingASurrogatePair() {
        String title = "x".repeat(253) + "😀😀😀";
        String summary = JiraRenderer.summary(title);
        assertThat(summary.length()).isLessThanOrEqualTo(JiraRenderer.MAX_SUMMARY);
        assertThat(summary).endsWith("…");
        assertThat(Character.isHighSurrogate(summary.charAt(summary.length() - 2))).isFalse();
        assertThat(summary.codePoints().filter(c -> c == 0xFFFD).count()).isZero();
        assertThat(JiraRenderer.summary("two\nlines")).isEqualTo("two lines");
        assertThat(JiraRenderer.summary("short")).isEqualTo("short");
    }

    private static JsonNode find(JsonNode doc, String type) {
        for (JsonNode n : doc.get("content")) {
            if (n.get("type").asText().equals(type)) {
                return n;
            }
        }
        throw new AssertionError("no " + type);
    }
}
