package dev.rootcause.alert.reading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.rule.vocabulary.SymptomVocabulary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Datadog monitor queries read like alert expressions. Queries in the shapes of Datadog's monitor docs
 * (docs.datadoghq.com/monitors/types/metric/, /monitors/types/apm/: {@code avg(last_5m):…}, {@code by {…}}, trace
 * metrics), read for symptoms by the shipped vocabulary.
 */
class DatadogExpressionsTest {

    private static final AlertReader READER = new AlertReader(SymptomVocabulary.load(Path.of("rules/symptoms.yaml")).current(), List.of());

    @Test
    void selectorsMatchersFunctionsAndGrouping() {
        PromQl.Expression e = ForeignExpressions.datadog(
                "avg(last_10m):sum:trace.http.request.errors{env:prod,service:web-*,!region:eu-west-1} by {resource_name}.as_rate() "
                        + "/ sum:trace.http.request.hits{env:prod} by {resource_name}.as_rate() > 0.1");
        assertThat(e.selectors()).hasSize(2);
        PromQl.Selector first = e.selectors().get(0);
        assertThat(first.metric()).isEqualTo("trace_http_request_errors");
        assertThat(first.secondary()).isFalse();
        assertThat(first.functions()).containsExactly("rate", "sum");
        assertThat(first.matchers()).containsExactly(new PromQl.Matcher("env", "=", "prod"), new PromQl.Matcher("service", "=~", "web-.*"),
                new PromQl.Matcher("region", "!=", "eu-west-1"));
        assertThat(e.selectors().get(1).secondary()).isTrue();
        assertThat(e.grouping()).containsExactly("resource_name", "resource_name");
    }

    @Test
    void unknownLanguageOrNoQueryReadsNothing() {
        assertThat(ForeignExpressions.read("nagios", "check_http")).isEmpty();
        assertThat(ForeignExpressions.read("datadog", "the service is down")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "avg(last_5m):p99:trace.servlet.request{service:checkout,env:prod} > 2|latency",
            "avg(last_5m):avg:system.cpu.user{host:db-1} > 90|saturation.cpu",
            "avg(last_15m):avg:system.disk.in_use{service:billing} by {device} > 0.9|disk",
            "max(last_5m):avg:jvm.gc.pause_time{service:checkout} > 0.5|gc",
            "sum(last_5m):sum:trace.servlet.request.errors{service:checkout}.as_count() / sum:trace.servlet.request.hits{service:checkout}.as_count() > 0.05|errors"})
    void monitorQueriesReadAsTheirSymptom(String query, String symptom) {
        AlertReading r = READER.read(Map.of("alertname", "Team-Page-3"), Map.of(AlertReader.EXPRESSION_ANNOTATION, query,
                AlertReader.LANGUAGE_ANNOTATION, "datadog"), null);
        assertThat(r.symptoms()).extracting(s -> s.symptom().name()).containsExactly(symptom);
        assertThat(r.expression()).isEqualTo(query);
    }

    @Test
    void aPrometheusExpressionInTheGeneratorUrlWins() {
        AlertReading r = READER.read(Map.of("alertname", "X"), Map.of(AlertReader.EXPRESSION_ANNOTATION, "avg(last_5m):avg:system.cpu.user{*} > 90",
                AlertReader.LANGUAGE_ANNOTATION, "datadog"), "http://p/graph?g0.expr=up%7Bjob%3D%22a%22%7D%20%3D%3D%200");
        assertThat(r.symptoms()).extracting(s -> s.symptom().name()).containsExactly("availability");
    }
}
