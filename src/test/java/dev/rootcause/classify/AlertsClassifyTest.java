package dev.rootcause.classify;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code alerts classify}: a rule file and a Prometheus' /api/v1/rules, each alert rule listed with what it reads as. */
class AlertsClassifyTest {

    static final Path RULES = Path.of("rules");
    static WireMockServer wm;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final AlertsClassify classify = new AlertsClassify(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    @BeforeAll
    static void start() {
        wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
    }

    @AfterAll
    static void stop() {
        wm.stop();
    }

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRuleFileListsEveryAlertRuleAndFlagsThoseReadAsNothing() {
        int code = classify.run("src/test/resources/classify/team-rules.yaml", RULES);
        assertThat(output()).contains("""
                OK         checkout/TeamA-Page-7
                    symptoms: latency (expression: histogram_quantile over http_server_requests_seconds_bucket)
                    target:   service <application> (by clause)
                OK         checkout/TeamA-Page-8
                    symptoms: errors (expression: matcher code=~"5.." on http_requests_total)
                    target:   service checkout (expression matcher job="checkout")
                NO SYMPTOM cluster/Mystery
                    symptoms: none read; pin one with the label rootcause_symptom
                    target:   none: no label or matcher names a service, pod, node or instance
                NO TARGET  cluster/RedisKeysEvicted
                    symptoms: cache (expression: metric redis_evicted_keys_total)
                    target:   none: no label or matcher names a service, pod, node or instance
                4 alert rule(s): 2 read fully, 1 without a symptom, 2 without a target
                """);
        assertThat(output()).doesNotContain("job:http_requests:rate5m");
        assertThat(code).isEqualTo(AlertsClassify.SOME_UNREAD);
    }

    @Test
    void aPrometheusUrlIsAskedForItsAlertingRules() {
        wm.stubFor(get(urlPathEqualTo("/api/v1/rules")).willReturn(okJson("""
                {"status":"success","data":{"groups":[{"name":"node","file":"/etc/prometheus/node.yml","rules":[
                  {"type":"alerting","name":"NodeFilesystemAlmostFull","query":"node_filesystem_avail_bytes{fstype!=\\"tmpfs\\"} / node_filesystem_size_bytes < 0.1",
                   "labels":{"severity":"warning"},"annotations":{"summary":"disk"},"state":"inactive","health":"ok"},
                  {"type":"recording","name":"instance:node_cpu:rate5m","query":"rate(node_cpu_seconds_total[5m])","health":"ok"}]}]}}
                """)));
        int code = classify.run("http://127.0.0.1:" + wm.port() + "/", RULES);
        assertThat(output()).contains("""
                OK         node/NodeFilesystemAlmostFull
                    symptoms: disk (expression: metric node_filesystem_avail_bytes)
                    target:   service <job> (by clause), instance <instance> (by clause)
                1 alert rule(s): 1 read fully, 0 without a symptom, 0 without a target
                """);
        assertThat(code).isEqualTo(AlertsClassify.ALL_READ);
        wm.verify(getRequestedFor(urlPathEqualTo("/api/v1/rules")).withQueryParam("type", WireMock.equalTo("alert")));
    }

    @Test
    void anUnreadableInputSaysWhyAndExitsTwo() {
        wm.stubFor(get(urlPathEqualTo("/api/v1/rules")).willReturn(serverError()));
        assertThat(classify.run("http://127.0.0.1:" + wm.port(), RULES)).isEqualTo(AlertsClassify.UNREADABLE);
        assertThat(classify.run("src/test/resources/classify/missing.yaml", RULES)).isEqualTo(AlertsClassify.UNREADABLE);
        assertThat(classify.run("pom.xml", RULES)).isEqualTo(AlertsClassify.UNREADABLE);
        assertThat(classify.run("src/test/resources/classify/team-rules.yaml", Path.of("src/test/resources"))).isEqualTo(AlertsClassify.UNREADABLE);
        assertThat(output()).contains("ERROR http://127.0.0.1:" + wm.port() + "/api/v1/rules?type=alert: HTTP 500")
                .contains("ERROR src/test/resources/classify/missing.yaml: ")
                .contains("symptoms.yaml does not exist (give the rules folder with --rules <dir>)");
    }
}
