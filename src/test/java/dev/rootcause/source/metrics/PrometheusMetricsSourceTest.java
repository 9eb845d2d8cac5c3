package dev.rootcause.source.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.rootcause.source.metrics.PrometheusWireMock.fixture;
import static dev.rootcause.source.metrics.PrometheusWireMock.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.MetricsSource;
import dev.rootcause.diagnosis.MetricsSourceException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Prometheus adapter against recorded answers: success, empty, errors, timeout; outgoing requests checked. */
@QuarkusTest
@QuarkusTestResource(value = PrometheusWireMock.class, restrictToAnnotatedClass = true)
class PrometheusMetricsSourceTest {

    private static final Instant T = Instant.parse("2024-05-14T09:05:00Z");

    @Inject
    MetricsSource prometheus;

    @BeforeEach
    void reset() {
        server().resetAll();
    }

    @Test
    void instantQueryReadsVectorAndSendsForm() throws Exception {
        server().stubFor(post(urlEqualTo("/api/v1/query")).willReturn(okJson(fixture("prometheus-query-vector.json"))));
        MetricsSource.Result r = prometheus.instant("sum(rate(x[5m]))", T);
        assertThat(r.series()).hasSizeGreaterThan(1);
        assertThat(r.series().get(0).values()[0]).isEqualTo(41.93333333333333);
        assertThat(r.series().get(0).labels()).containsEntry("code", "200");
        server().verify(postRequestedFor(urlEqualTo("/api/v1/query"))
                .withRequestBody(containing("query=sum%28rate%28x%5B5m%5D%29%29")).withRequestBody(containing("time=1715677500.000")));
    }

    @Test
    void rangeQueryKeepsNanAndInfinity() throws Exception {
        server().stubFor(post(urlEqualTo("/api/v1/query_range")).willReturn(okJson(fixture("prometheus-query_range-nan-inf.json"))));
        MetricsSource.Result r = prometheus.range("q", T.minusSeconds(600), T, Duration.ofSeconds(60));
        assertThat(r.series().get(0).values()).containsExactly(0.0012, Double.NaN, Double.NaN, 0.0009, Double.NaN, 0.0011);
        assertThat(r.series().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.values())).anyMatch(Double::isInfinite)).isTrue();
        assertThat(r.step()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void warningsAndInfosAreCarried() throws Exception {
        server().stubFor(post(urlEqualTo("/api/v1/query")).willReturn(okJson(fixture("prometheus-query-warnings.json"))));
        MetricsSource.Result r = prometheus.instant("q", T);
        assertThat(r.warnings()).hasSize(2).anyMatch(w -> w.contains("quantile value")).anyMatch(w -> w.startsWith("info: "));
        assertThat(r.series().get(0).values()[0]).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void stepIsWidenedBelowElevenThousandPoints() throws Exception {
        server().stubFor(post(urlEqualTo("/api/v1/query_range")).willReturn(okJson(fixture("prometheus-query_range-matrix.json"))));
        MetricsSource.Result r = prometheus.range("q", T.minus(Duration.ofDays(30)), T, Duration.ofSeconds(1));
        assertThat(Duration.ofDays(30).toMillis() / r.step().toMillis()).isLessThan(11_000);
        server().verify(postRequestedFor(urlEqualTo("/api/v1/query_range")).withRequestBody(containing("step=235.658")));
    }

    @Test
    void badDataIsAnErrorWithTheServersMessage() {
        server().stubFor(post(urlEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(fixture("prometheus-error-bad_data.json"))));
        assertThatThrownBy(() -> prometheus.instant("q", T)).isInstanceOf(MetricsSourceException.class)
                .hasMessageContaining("400").hasMessageContaining("bad_data: invalid parameter \"query\"")
                .satisfies(e -> assertThat(((MetricsSourceException) e).status()).isEqualTo(Evidence.Status.ERROR));
    }

    @Test
    void unavailableAndResetAreErrors() {
        server().stubFor(post(urlEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(503).withBody("Service Unavailable")));
        assertThatThrownBy(() -> prometheus.instant("q", T)).hasMessageContaining("503");
        server().stubFor(post(urlEqualTo("/api/v1/query")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThatThrownBy(() -> prometheus.instant("q", T)).isInstanceOf(MetricsSourceException.class)
                .hasMessageContaining("Prometheus at http://127.0.0.1:");
    }

    @Test
    void slowAnswerIsATimeout() {
        server().stubFor(post(urlEqualTo("/api/v1/query")).willReturn(okJson(fixture("prometheus-query-vector.json"))
                .withFixedDelay(3000)));
        assertThatThrownBy(() -> prometheus.instant("q", T)).isInstanceOf(MetricsSourceException.class)
                .satisfies(e -> assertThat(((MetricsSourceException) e).status()).isEqualTo(Evidence.Status.TIMEOUT));
    }
}
