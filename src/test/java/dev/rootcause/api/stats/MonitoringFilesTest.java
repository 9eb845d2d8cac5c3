package dev.rootcause.api.stats;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import dev.rootcause.alert.reading.PromQl;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every metric that {@code monitoring/rootcause.rules.yml} and {@code monitoring/rootcause-dashboard.json} name is
 * on {@code /q/metrics} (issue 23): a renamed meter breaks this test, not the alerts in production. Metric names are
 * read from the expressions with the service's own PromQL reader; {@code up} is Prometheus' own series, not ours.
 */
@QuarkusTest
class MonitoringFilesTest {

    /** Series Prometheus makes itself. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    @Test
    void everyMetricTheRulesAndTheDashboardNameIsOnQMetrics() throws IOException {
        Set<String> named = new TreeSet<>();
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Path.of("monitoring/rootcause.rules.yml").toFile());
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                named.addAll(metrics(rule.get("expr").asText()));
            }
        }
        int fromRules = named.size();
        JsonNode dashboard = Payloads.JSON.readTree(Files.readString(Path.of("monitoring/rootcause-dashboard.json")));
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                // Grafana's variables as Grafana substitutes them, so the expression is PromQL
                named.addAll(metrics(target.get("expr").asText().replace("$__rate_interval", "5m").replace("$__range", "1h")
                        .replace("\"$job\"", "\".*\"")));
            }
        }
        assertThat(fromRules).as("metrics named by the rules").isGreaterThanOrEqualTo(10);
        named.removeAll(PROMETHEUS_OWN);

        // one diagnosis, so the meters made at first use (the Prometheus circuit) exist as they do in production
        var body = Payloads.unique("alertmanager-real-cache-hit-rate-low.json");
        Api.post("alertmanager", Payloads.text(body)).then().statusCode(202);
        Api.awaitTimeline(Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong(), "diagnosed", 1);

        String exposed = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> onMetrics = new TreeSet<>();
        exposed.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> onMetrics.add(l.split("[{ ]", 2)[0]));
        assertThat(onMetrics).containsAll(named);
    }

    private static Set<String> metrics(String expr) {
        Set<String> out = new TreeSet<>();
        for (PromQl.Selector s : PromQl.read(expr).selectors()) {
            if (s.metric() != null) {
                out.add(s.metric());
            }
        }
        assertThat(out).as("metrics read from " + expr).isNotEmpty();
        return out;
    }
}
