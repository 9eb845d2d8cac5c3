package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rootcause.alert.reading.AlertReader;
import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.alert.reading.SymptomReading;
import dev.rootcause.rule.vocabulary.SymptomVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alerts of the three end-to-end flows, read as the packaged service reads them (shipped rules/symptoms.yaml),
 * without the stack: their names are opaque and their annotations name no symptom, so the symptom must come from
 * the expression in the generatorURL; and what the name alone gives is nothing. A quick check before the ITs.
 */
class FlowAlertsReadTest {

    private static final AlertReader READER = new AlertReader(SymptomVocabulary.load(Path.of("rules/symptoms.yaml")).current(), List.of());

    @Test
    void flowA5xxAfterDeployIsErrorsByItsExpression() {
        AlertReading r = READER.read(Map.of("alertname", Flow5xxAfterDeployIT.ALERT, "service", "storefront", "severity", "critical"),
                Map.of("summary", "Shop page for storefront: 8.1%"), Stack.generatorUrl(Flow5xxAfterDeployIT.EXPRESSION));
        assertReadFromExpression(r, "errors");
        assertThat(r.summary()).isEqualTo("symptom errors (expression: matcher code=~\"5..\" on http_requests_total),"
                + " target service storefront (label service)");
    }

    @Test
    void flowBSlowDownstreamIsLatencyByItsExpression() {
        AlertReading r = READER.read(Map.of("alertname", FlowSlowDownstreamIT.ALERT, "service", "orders", "severity", "warning"),
                Map.of("summary", "Team A page for orders"), Stack.generatorUrl(FlowSlowDownstreamIT.EXPRESSION));
        assertReadFromExpression(r, "latency");
        assertThat(r.summary()).isEqualTo("symptom latency (expression: histogram_quantile over http_server_request_duration_seconds_bucket),"
                + " target service orders (label service)");
    }

    /** Flow C's alert rule is the stack's own (scripts/stack.sh writes it to rules.yml): read from there. */
    @Test
    void flowCCacheIsCacheByItsExpression() throws IOException {
        JsonNode rule = stackAlertRule();
        Map<String, String> annotations = Map.of("summary", rule.at("/annotations/summary").asText().replace("{{ $value | humanizePercentage }}", "3.2%"),
                "description", rule.at("/annotations/description").asText());
        AlertReading r = READER.read(Map.of("alertname", rule.get("alert").asText(), "service", "cache-a", "severity", "critical"),
                annotations, Stack.generatorUrl(rule.get("expr").asText()));
        assertReadFromExpression(r, "cache");
        assertThat(r.target().values()).containsEntry("service", "cache-a");
        assertThat(READER.read(Map.of("alertname", rule.get("alert").asText()), annotations, null).symptoms())
                .as("the stack's cache alert says nothing without its expression").isEmpty();
    }

    @Test
    void theFlowNamesAloneSayNothing() {
        for (String name : List.of(Flow5xxAfterDeployIT.ALERT, FlowSlowDownstreamIT.ALERT, Flow5xxAfterDeployIT.GRAFANA_ALERT)) {
            assertThat(READER.read(Map.of("alertname", name), Map.of(), null).symptoms()).as(name).isEmpty();
        }
    }

    private static void assertReadFromExpression(AlertReading r, String symptom) {
        assertThat(r.symptoms()).as(r.summary()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.from()).isEqualTo(SymptomReading.From.EXPRESSION));
        assertThat(r.symptomList()).extracting(s -> s.name()).as(r.summary()).containsExactly(symptom);
    }

    /** The alerting rule of the rules.yml heredoc in scripts/stack.sh (the stack has exactly one). */
    static JsonNode stackAlertRule() throws IOException {
        Matcher m = Pattern.compile("cat > \"\\$STACK_DIR/rules.yml\" <<'YAML'\n(.*?)\nYAML\n", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("scripts/stack.sh")));
        assertThat(m.find()).as("scripts/stack.sh writes rules.yml").isTrue();
        JsonNode alerts = new ObjectMapper(new YAMLFactory()).readTree(m.group(1)).at("/groups/0/rules");
        List<JsonNode> found = new java.util.ArrayList<>();
        alerts.forEach(r -> {
            if (r.has("alert")) {
                found.add(r);
            }
        });
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
