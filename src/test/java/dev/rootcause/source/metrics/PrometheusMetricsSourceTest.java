package dev.rootcause.source.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.rootcause.source.metrics.PrometheusWireMock.fixture;
import static dev.rootcause.source.metrics.PrometheusWireMock.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
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
                .withFixedDelay(4000)));
        assertThatThrownBy(() -> prometheus.instant("q", T)).isInstanceOf(MetricsSourceException.class)
                .satisfies(e -> assertThat(((MetricsSourceException) e).status()).isEqualTo(Evidence.Status.TIMEOUT));
    }

    @Test
    void everyRequestCarriesTheBearerToken() throws Exception {
        server().stubFor(post(urlEqualTo("/api/v1/query")).willReturn(okJson(fixture("prometheus-query-vector.json"))));
        prometheus.instant("up", T);
        server().verify(postRequestedFor(urlEqualTo("/api/v1/query"))
                .withHeader("Authorization", equalTo("Bearer " + PrometheusWireMock.TOKEN))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded")));
    }

    @Test
    void emptyRangeIsNoSeries() throws Exception {
        server().stubFor(post(urlEqualTo("/api/v1/query_range"))
                .willReturn(okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}")));
        MetricsSource.Result r = prometheus.range("absent_metric", T.minusSeconds(600), T, Duration.ofSeconds(15));
        assertThat(r.series()).isEmpty();
        server().verify(postRequestedFor(urlEqualTo("/api/v1/query_range")).withRequestBody(containing("query=absent_metric"))
                .withRequestBody(containing("start=1715676900.000")).withRequestBody(containing("end=1715677500.000"))
                .withRequestBody(containing("step=15.0")));
    }

    @Test
    void executionErrorIsAnErrorWithTheServersMessage() {
        server().stubFor(post(urlEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many samples into memory\"}")));
        assertThatThrownBy(() -> prometheus.instant("q", T)).isInstanceOf(MetricsSourceException.class)
                .hasMessage("Prometheus answered 422: execution: query processing would load too many samples into memory")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PrometheusWireMock.TOKEN));
        server().verify(1, postRequestedFor(urlEqualTo("/api/v1/query")));
    }

    @Test
    void serverErrorIsRetriedAndThenAnswers() throws Exception {
        server().stubFor(post(urlEqualTo("/api/v1/query")).inScenario("5xx").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"TSDB not ready\"}"))
                .willSetStateTo("ready"));
        server().stubFor(post(urlEqualTo("/api/v1/query")).inScenario("5xx").whenScenarioStateIs("ready")
                .willReturn(okJson(fixture("prometheus-query-vector.json"))));
        assertThat(prometheus.instant("q", T).series()).isNotEmpty();
        server().verify(2, postRequestedFor(urlEqualTo("/api/v1/query")));
    }

    @Test
    void persistentUnavailableKeepsTheServersMessage() {
        server().stubFor(post(urlEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in expression evaluation\"}")));
        assertThatThrownBy(() -> prometheus.instant("q", T)).isInstanceOf(MetricsSourceException.class)
                .hasMessageContaining("503 (after retries): timeout: query timed out")
                .satisfies(e -> assertThat(((MetricsSourceException) e).status()).isEqualTo(Evidence.Status.TIMEOUT));
        server().verify(3, postRequestedFor(urlEqualTo("/api/v1/query")));
    }

    @Test
    void tooManyRequestsWaitsAsRetryAfterSays() throws Exception {
        server().stubFor(post(urlEqualTo("/api/v1/query")).inScenario("429").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        server().stubFor(post(urlEqualTo("/api/v1/query")).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(okJson(fixture("prometheus-query-vector.json"))));
        assertThat(prometheus.instant("q", T).series()).isNotEmpty();
        var requests = server().findAll(postRequestedFor(urlEqualTo("/api/v1/query")));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime()).isGreaterThanOrEqualTo(950);
    }

    @Test
    void labelValuesSendMatchersEscapedAndReadTheList() throws Exception {
        server().stubFor(get(urlPathEqualTo("/api/v1/label/service/values"))
                .willReturn(okJson("{\"status\":\"success\",\"data\":[\"cache-a\",\"checkout\",\"payments\"]}")));
        assertThat(prometheus.labelValues("service", java.util.List.of("http_requests_total{job=~\"shop|web\"}", "up"),
                T.minusSeconds(3600), T)).containsExactly("cache-a", "checkout", "payments");
        server().verify(getRequestedFor(urlEqualTo("/api/v1/label/service/values?match%5B%5D=http_requests_total%7Bjob%3D~%22shop%7Cweb%22%7D"
                + "&match%5B%5D=up&start=1715673900.000&end=1715677500.000"))
                .withHeader("Authorization", equalTo("Bearer " + PrometheusWireMock.TOKEN)));
    }

    @Test
    void labelValuesEmptyAndBadNames() throws Exception {
        server().stubFor(get(urlPathEqualTo("/api/v1/label/service/values")).willReturn(okJson("{\"status\":\"success\",\"data\":[]}")));
        assertThat(prometheus.labelValues("service", java.util.List.of(), T.minusSeconds(60), T)).isEmpty();
        assertThatThrownBy(() -> prometheus.labelValues("service/../../admin", java.util.List.of(), T.minusSeconds(60), T))
                .isInstanceOf(MetricsSourceException.class).hasMessageContaining("not a label name");
        server().verify(1, getRequestedFor(urlPathEqualTo("/api/v1/label/service/values")));
    }

    @Test
    void victoriaMetricsPartialAnswerIsAWarning() throws Exception {
        server().stubFor(post(urlEqualTo("/api/v1/query")).willReturn(okJson("{\"status\":\"success\",\"isPartial\":true,"
                + "\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1715677500,\"1\"]}]}}")));
        assertThat(prometheus.instant("q", T).warnings()).containsExactly("partial answer: some storage nodes did not answer (isPartial)");
    }
}
