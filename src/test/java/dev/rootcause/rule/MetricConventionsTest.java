package dev.rootcause.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rootcause.rule.load.RuleLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conventions.yaml: the shipped table, its checks with file:line, hot reload keeping the last good table, the catalogue's pin. */
class MetricConventionsTest {

    @TempDir
    Path dir;

    @Test
    void theShippedTableHasEveryConventionInOrderOfPreference() {
        MetricConventions t = MetricConventions.load(Path.of("rules/conventions.yaml"));
        assertThat(t.all()).extracting(MetricConventions.Convention::name)
                .containsExactly("classic", "micrometer", "otel", "istio", "ingress-nginx", "datadog-servlet", "datadog-http");
        for (MetricConventions.Convention c : t.all()) {
            assertThat(c.signals()).as(c.name()).containsKeys("http.error_ratio", "http.latency_p99", "http.latency_p95");
        }
        assertThat(t.grouped("http.client_error_ratio")).contains(true);
        assertThat(t.grouped("http.error_ratio")).contains(false);
        assertThat(t.grouped("http.nothing")).isEmpty();
        assertThat(t.find("micrometer").orElseThrow().signals().get("http.client_error_ratio").by()).isEqualTo("client_name");
    }

    @Test
    void mistakesAreReportedWithTheirLine() {
        assertThatThrownBy(() -> MetricConventionsParser.parse("conventions.yaml", """
                conventions:
                  classic:
                    detect: http_requests_total
                    service_labels: [service]
                    signals:
                      http.error_ratio: 'sum(rate(http_requests_total[1m]))'
                """)).hasMessage("conventions.yaml:6: convention classic: signal http.error_ratio: the query selects no service:"
                + " use $service_label=\"$service_value\" or $service");
        assertThatThrownBy(() -> MetricConventionsParser.parse("conventions.yaml", """
                conventions:
                  classic:
                    detect: http_requests_total
                    service_labels: [service, "bad-label"]
                    signals: {http.error_ratio: 'x{$service_label="$service_value"}'}
                """)).hasMessageStartingWith("conventions.yaml:4: convention classic: service_labels: bad-label");
        assertThatThrownBy(() -> MetricConventionsParser.parse("conventions.yaml", """
                conventions:
                  classic:
                    detect: http_requests_total
                    service_labels: [service]
                    refresh: 1m
                    signals: {http.error_ratio: 'x{$service_label="$service_value"}'}
                """)).hasMessageStartingWith("conventions.yaml:5: convention classic: refresh: unknown key");
    }

    @Test
    void aSignalMustHaveOneShapeInEveryConvention() {
        // a rule's step type (compare vs compare_by) must not depend on the service's convention
        assertThatThrownBy(() -> MetricConventionsParser.parse("conventions.yaml", """
                conventions:
                  a:
                    detect: m
                    service_labels: [service]
                    signals: {http.client_error_ratio: {by: peer, query: 'sum by (peer) (m{$service_label="$service_value"})'}}
                  b:
                    detect: n
                    service_labels: [service]
                    signals: {http.client_error_ratio: 'sum(n{$service_label="$service_value"})'}
                """)).hasMessageContaining("convention b: signal http.client_error_ratio is one series here but per dependency in a");
    }

    @Test
    void aBrokenEditKeepsTheLastGoodTable() throws Exception {
        Path file = dir.resolve("conventions.yaml");
        Files.copy(Path.of("rules/conventions.yaml"), file);
        MetricConventions t = new MetricConventions(file, Clock.systemUTC());
        t.reload();
        assertThat(t.all()).hasSize(7);
        Files.writeString(file, "conventions:\n  classic: {detect: 'not a metric'}\n");
        t.reload();
        assertThat(t.all()).hasSize(7);
        assertThat(t.snapshot().errors()).singleElement().asString().startsWith("conventions.yaml:2: convention classic: detect:")
                .endsWith("(the previous table stays in force)");
    }

    @Test
    void theCatalogueMayPinAConvention() throws Exception {
        Files.writeString(dir.resolve("services.yaml"), "services:\n  orders: {owner: team-orders, convention: micrometer}\n");
        assertThat(ServiceCatalogue.load(dir.resolve("services.yaml")).find("orders").orElseThrow().convention()).isEqualTo("micrometer");
        Files.writeString(dir.resolve("services.yaml"), "services:\n  orders:\n    owner: team-orders\n    convention: [micrometer]\n");
        assertThatThrownBy(() -> ServiceCatalogue.load(dir.resolve("services.yaml")))
                .hasMessageStartingWith("services.yaml:4: service orders: convention: expected a convention name");
    }

    @Test
    void theTableIsNotARuleFile() {
        assertThat(RuleLoader.isRuleFile(Path.of("rules/conventions.yaml"))).isFalse();
    }

    @Test
    void aDatadogConventionTakesDottedNamesAndTagsAndNamesItsLanguage() {
        var table = MetricConventionsParser.parse("conventions.yaml", """
                conventions:
                  dd:
                    language: datadog
                    detect: trace.servlet.request.hits
                    service_labels: [service]
                    signals:
                      http.error_ratio: 'sum:trace.servlet.request.errors{$service_label:$service_value}.as_count()'
                      http.client_error_ratio: {by: peer.service, query: 'sum:trace.http.request.errors{service:$service} by {peer.service}'}
                """);
        assertThat(table.get("dd").language()).isEqualTo(MetricConventions.DATADOG);
        assertThat(table.get("dd").signals().get("http.client_error_ratio").by()).isEqualTo("peer.service");
        assertThatThrownBy(() -> MetricConventionsParser.parse("conventions.yaml", """
                conventions:
                  dd:
                    language: sql
                    detect: x
                    service_labels: [service]
                    signals: {http.error_ratio: 'x{service:$service}'}
                """)).hasMessageContaining("language: expected promql or datadog");
        assertThatThrownBy(() -> MetricConventionsParser.parse("conventions.yaml", """
                conventions:
                  classic:
                    detect: trace.servlet.request.hits
                    service_labels: [service]
                    signals: {http.error_ratio: 'x{service="$service"}'}
                """)).hasMessageContaining("detect: required, a metric name");
    }
}
