package dev.rootcause.diagnosis.step.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rootcause.TestClock;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.engine.Verdicts;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.ruletest.replay.ReplayMetricsSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which convention a service's signals are read in: detection, its cache, pinning, the catalogue's labels, a backend down. */
class ConventionResolverTest {

    static final MetricConventions TABLE = MetricConventions.load(Path.of("rules/conventions.yaml"));
    static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    static final Map<String, String> VARS = Map.of("rate_window", "1m");

    @TempDir
    Path dir;

    /** Answers the detection query with the given (convention, label) pairs, or fails as a down backend does. */
    static final class Detecting implements MetricsSource {
        final List<String> asked = new ArrayList<>();
        List<String[]> matches = List.of();
        MetricsSourceException down;
        private final ReplayMetricsSource escaping = new ReplayMetricsSource();

        @Override
        public String render(String template, Map<String, String> vars) throws MetricsSourceException {
            return escaping.render(template, vars);
        }

        @Override
        public Result instant(String query, Instant at) throws MetricsSourceException {
            asked.add(query);
            if (down != null) {
                throw down;
            }
            List<Series> series = matches.stream().map(m -> new Series(Map.of("convention", m[0], "service_label", m[1]), List.of(at),
                    new double[] {1})).toList();
            return new Result(series, null, List.of());
        }

        @Override
        public Result range(String query, Instant start, Instant end, Duration step) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> labelValues(String label, List<String> match, Instant start, Instant end) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String link(String query, Instant start, Instant end) {
            return null;
        }

        @Override
        public String name() {
            return "prometheus";
        }
    }

    ServiceCatalogue catalogue(String yaml) throws Exception {
        Files.writeString(dir.resolve("services.yaml"), yaml);
        return ServiceCatalogue.load(dir.resolve("services.yaml"));
    }

    @Test
    void detectsMicrometerAndRunsItsNamesWithTheApplicationLabel() throws Exception {
        Detecting prometheus = new Detecting();
        prometheus.matches = List.<String[]>of(new String[] {"micrometer", "application"});
        var resolver = new ConventionResolver(prometheus, TABLE, ServiceCatalogue.empty(), new TestClock(), Duration.ofMinutes(10));

        ConventionResolver.Resolved r = resolver.resolve("http.error_ratio", "orders", VARS, NOW);

        assertThat(r.query()).isEqualTo("(sum(rate(http_server_requests_seconds_count{application=\"orders\",status=~\"5..\"}[1m]))"
                + " or vector(0)) / sum(rate(http_server_requests_seconds_count{application=\"orders\"}[1m]))");
        assertThat(r.describe()).isEqualTo("micrometer (application=\"orders\", detected)");
        // one query asked every convention and label at once; its answer is kept for rule-test export
        assertThat(prometheus.asked).hasSize(1);
        assertThat(prometheus.asked.get(0)).contains("group(http_requests_total{service=\"orders\"})",
                "group(http_server_requests_seconds_count{application=\"orders\"})",
                "group(istio_requests_total{destination_service_name=\"orders\"})");
        assertThat(r.recorded()).extracting(Evidence.Recorded::query).containsExactly(prometheus.asked.get(0));
    }

    @Test
    void classicNamesRenderExactlyAsTheRulesQueriedBefore() throws Exception {
        Detecting prometheus = new Detecting();
        prometheus.matches = List.<String[]>of(new String[] {"classic", "service"});
        var resolver = new ConventionResolver(prometheus, TABLE, ServiceCatalogue.empty(), new TestClock(), Duration.ofMinutes(10));
        assertThat(resolver.resolve("http.latency_p99", "checkout", VARS, NOW).query()).isEqualTo(
                "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service=\"checkout\"}[1m])))");
    }

    @Test
    void detectionIsReusedUntilTheRefreshIntervalHasPassed() throws Exception {
        Detecting prometheus = new Detecting();
        prometheus.matches = List.<String[]>of(new String[] {"otel", "service_name"});
        TestClock clock = new TestClock();
        clock.set(NOW);
        var resolver = new ConventionResolver(prometheus, TABLE, ServiceCatalogue.empty(), clock, Duration.ofMinutes(10));

        resolver.resolve("http.error_ratio", "orders", VARS, NOW);
        clock.advance(Duration.ofMinutes(9));
        ConventionResolver.Resolved cached = resolver.resolve("http.latency_p95", "orders", VARS, NOW);
        assertThat(prometheus.asked).hasSize(1);
        assertThat(cached.recorded()).hasSize(1); // an exported rule test still gets the detection answer

        clock.advance(Duration.ofMinutes(1));
        prometheus.matches = List.<String[]>of(new String[] {"micrometer", "application"});
        assertThat(resolver.resolve("http.error_ratio", "orders", VARS, NOW).convention()).isEqualTo("micrometer");
        assertThat(prometheus.asked).hasSize(2);
    }

    @Test
    void aPinnedConventionAsksNothingAndTakesTheCataloguesLabel() throws Exception {
        Detecting prometheus = new Detecting();
        ServiceCatalogue services = catalogue("""
                services:
                  checkout:
                    owner: team-payments
                    labels: {destination_service: checkout.shop.svc.cluster.local}
                    convention: istio
                """);
        var resolver = new ConventionResolver(prometheus, TABLE, services, new TestClock(), Duration.ofMinutes(10));

        ConventionResolver.Resolved r = resolver.resolve("http.error_ratio", "checkout", VARS, NOW);

        assertThat(prometheus.asked).isEmpty();
        assertThat(r.query()).contains("istio_requests_total{reporter=\"destination\",destination_service=\"checkout.shop.svc.cluster.local\"");
        assertThat(r.describe()).isEqualTo("istio (destination_service=\"checkout.shop.svc.cluster.local\", pinned in services.yaml)");
    }

    @Test
    void aPinUnknownToTheTableIsAnError() throws Exception {
        ServiceCatalogue services = catalogue("services:\n  checkout: {owner: team-payments, convention: dropwizard}\n");
        var resolver = new ConventionResolver(new Detecting(), TABLE, services, new TestClock(), Duration.ofMinutes(10));
        assertThatThrownBy(() -> resolver.resolve("http.error_ratio", "checkout", VARS, NOW))
                .isInstanceOfSatisfying(MetricsSourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.ERROR))
                .hasMessageContaining("pins convention dropwizard");
    }

    @Test
    void theCataloguesLabelValueIsWhatDetectionLooksFor() throws Exception {
        Detecting prometheus = new Detecting();
        prometheus.matches = List.<String[]>of(new String[] {"micrometer", "application"});
        ServiceCatalogue services = catalogue("services:\n  checkout: {owner: team-payments, labels: {application: shop-checkout}}\n");
        var resolver = new ConventionResolver(prometheus, TABLE, services, new TestClock(), Duration.ofMinutes(10));

        ConventionResolver.Resolved r = resolver.resolve("http.latency_p95", "checkout", VARS, NOW);

        assertThat(prometheus.asked.get(0)).contains("http_server_requests_seconds_count{application=\"shop-checkout\"}")
                .contains("http_requests_total{service=\"checkout\"}");
        assertThat(r.query()).contains("http_server_requests_seconds_bucket{application=\"shop-checkout\"}");
    }

    @Test
    void theFirstDetectedConventionThatHasTheSignalWins() throws Exception {
        Detecting prometheus = new Detecting();
        // an app with classic server metrics inside an Istio mesh: the mesh has the client side
        prometheus.matches = List.<String[]>of(new String[] {"istio", "destination_service_name"}, new String[] {"classic", "service"});
        var resolver = new ConventionResolver(prometheus, TABLE, ServiceCatalogue.empty(), new TestClock(), Duration.ofMinutes(10));
        assertThat(resolver.resolve("http.error_ratio", "checkout", VARS, NOW).convention()).isEqualTo("classic");
        ConventionResolver.Resolved client = resolver.resolve("http.client_error_ratio", "checkout", VARS, NOW);
        assertThat(client.convention()).isEqualTo("istio");
        assertThat(client.by()).isEqualTo("destination_service_name");
        assertThat(client.query()).contains("source_canonical_service=\"checkout\"");
    }

    @Test
    void aBackendDownIsAnErrorAndIsAskedAgainNextTime() {
        Detecting prometheus = new Detecting();
        prometheus.down = new MetricsSourceException(Evidence.Status.ERROR, "Prometheus unreachable: connection refused");
        var resolver = new ConventionResolver(prometheus, TABLE, ServiceCatalogue.empty(), new TestClock(), Duration.ofMinutes(10));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> resolver.resolve("http.error_ratio", "checkout", VARS, NOW))
                    .isInstanceOfSatisfying(MetricsSourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.ERROR))
                    .hasMessageContaining("detecting the metric convention of checkout")
                    .hasMessageContaining("connection refused");
        }
        assertThat(prometheus.asked).hasSize(2);
    }

    @Test
    void noSeriesOfAnyConventionIsNoDataAndNotKept() {
        Detecting prometheus = new Detecting();
        var resolver = new ConventionResolver(prometheus, TABLE, ServiceCatalogue.empty(), new TestClock(), Duration.ofMinutes(10));
        assertThatThrownBy(() -> resolver.resolve("http.error_ratio", "checkout", VARS, NOW))
                .isInstanceOfSatisfying(MetricsSourceException.class, e -> assertThat(e.status()).isEqualTo(Evidence.Status.NO_DATA))
                .hasMessageContaining("none has series of it");
        prometheus.matches = List.<String[]>of(new String[] {"ingress-nginx", "service"});
        assertThatThrownBy(() -> resolver.resolve("http.client_error_ratio", "checkout", VARS, NOW))
                .hasMessageContaining("found [ingress-nginx], which lack it");
        assertThat(prometheus.asked).hasSize(2);
    }

    @Test
    void aServiceNameFromAnAlertIsEscapedInEveryQuery() throws Exception {
        Detecting prometheus = new Detecting();
        prometheus.matches = List.<String[]>of(new String[] {"classic", "service"});
        var resolver = new ConventionResolver(prometheus, TABLE, ServiceCatalogue.empty(), new TestClock(), Duration.ofMinutes(10));
        String evil = "x\"}) or vector(1) or up{a=\"";
        ConventionResolver.Resolved r = resolver.resolve("http.error_ratio", evil, VARS, NOW);
        assertThat(prometheus.asked.get(0)).contains("{service=\"x\\\"}) or vector(1) or up{a=\\\"\"}");
        assertThat(r.query()).startsWith("sum(rate(http_requests_total{service=\"x\\\"}) or vector(1) or up{a=\\\"\",code=~\"5..\"}");
    }

    @Test
    void aSignalStepWithPrometheusDownMakesThePartialReport() {
        Detecting prometheus = new Detecting();
        prometheus.down = new MetricsSourceException(Evidence.Status.ERROR, "Prometheus unreachable: connection refused");
        var resolver = new ConventionResolver(prometheus, TABLE, ServiceCatalogue.empty(), new TestClock(), Duration.ofMinutes(10));
        var step = new dev.rootcause.rule.Rule.Step("errors", "metrics.compare", List.of(),
                Map.of("signal", "http.error_ratio", "service", "$service"), null);
        AlertContext alert = new AlertContext("t", Map.of("service", "checkout"), Map.of(), NOW.minusSeconds(600), NOW);

        Evidence e = new MetricsCompareStep(prometheus, resolver).run(step, alert, Map.of("service", "checkout", "rate_window", "1m"),
                Map.of());

        assertThat(e.status()).isEqualTo(Evidence.Status.ERROR);
        assertThat(e.reason()).contains("detecting the metric convention of checkout");
        assertThat(Verdicts.partial(List.of(e))).singleElement().asString().contains("connection refused");
    }
}
