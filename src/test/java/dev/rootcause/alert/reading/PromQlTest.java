package dev.rootcause.alert.reading;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The PromQL reader on expressions as real alert rules write them. */
class PromQlTest {

    private static List<String> metrics(PromQl.Expression e) {
        return e.selectors().stream().map(PromQl.Selector::metric).toList();
    }

    @Test
    void nestedAggregationsKeepTheFunctionsAroundEachSelector() {
        var e = PromQl.read("histogram_quantile(0.99, sum by (le, application) (rate(http_server_requests_seconds_bucket"
                + "{application=\"checkout\"}[5m]))) > 0.5");
        assertThat(metrics(e)).containsExactly("http_server_requests_seconds_bucket");
        var s = e.selectors().get(0);
        assertThat(s.functions()).containsExactly("rate", "sum", "histogram_quantile");
        assertThat(s.matchers()).containsExactly(new PromQl.Matcher("application", "=", "checkout"));
        assertThat(e.grouping()).containsExactly("le", "application");
    }

    @Test
    void aggregationWithTheClauseAfterItsParentheses() {
        var e = PromQl.read("sum(rate(http_requests_total{code=~\"5..\"}[5m])) by (service) / sum(rate(http_requests_total[5m])) by (service)");
        assertThat(metrics(e)).containsExactly("http_requests_total", "http_requests_total");
        assertThat(e.selectors().get(0).matchers()).containsExactly(new PromQl.Matcher("code", "=~", "5.."));
        assertThat(e.selectors().get(0).functions()).containsExactly("rate", "sum");
        assertThat(e.grouping()).containsExactly("service", "service");
    }

    @Test
    void offsetSubqueryAndAtModifierAreNotMetrics() {
        var e = PromQl.read("max_over_time(rate(node_cpu_seconds_total{mode!=\"idle\"}[5m] offset 1h)[30m:1m]) @ end()"
                + " > bool 0.9");
        assertThat(metrics(e)).containsExactly("node_cpu_seconds_total");
        assertThat(e.selectors().get(0).functions()).containsExactly("rate", "max_over_time");
    }

    @Test
    void stringsWithEscapedQuotesAndCommentsAreSkipped() {
        var e = PromQl.read("# a comment naming up and ssl\nsum(rate(log_lines_total{msg=~\"say \\\"hi\\\" {now}\", level='err'}[1m]))"
                + " # trailing up");
        assertThat(metrics(e)).containsExactly("log_lines_total");
        assertThat(e.selectors().get(0).matchers()).extracting(PromQl.Matcher::value).containsExactly("say \"hi\" {now}", "err");
    }

    @Test
    void vectorMatchingLabelsAreNotGrouping() {
        var e = PromQl.read("sum by (namespace, pod) (kube_pod_container_resource_limits{resource=\"memory\"})"
                + " / on (namespace, pod) group_left(node) container_memory_working_set_bytes unless ignoring(x) up == 0");
        assertThat(metrics(e)).containsExactly("kube_pod_container_resource_limits", "container_memory_working_set_bytes", "up");
        assertThat(e.grouping()).containsExactly("namespace", "pod");
        assertThat(e.selectors().get(1).functions()).isEmpty();
    }

    @Test
    void nameMatchersAndQuotedNames() {
        var e = PromQl.read("rate({__name__=\"http_requests_total\", job=\"api\"}[5m]) + {__name__=~\"node_.*\"}"
                + " + {\"my.metric\", code=\"500\"}");
        assertThat(metrics(e)).containsExactly("http_requests_total", null, "my.metric");
        assertThat(e.selectors().get(0).matchers()).containsExactly(new PromQl.Matcher("job", "=", "api"));
        assertThat(e.selectors().get(1).matchers()).containsExactly(new PromQl.Matcher("__name__", "=~", "node_.*"));
    }

    @Test
    void absentAndRecordingRuleNames() {
        var e = PromQl.read("absent(up{job=\"checkout\"} == 1) or slo:sli_error:ratio_rate5m{sloth_service=\"a\"} > (14.4 * 0.001)");
        assertThat(metrics(e)).containsExactly("up", "slo:sli_error:ratio_rate5m");
        assertThat(e.selectors().get(0).functions()).containsExactly("absent");
        assertThat(e.functions()).containsExactly("absent");
    }

    @Test
    void brokenExpressionsReadWhatTheyCan() {
        assertThat(metrics(PromQl.read("sum(rate(foo_total{a=\"b\"[5m]"))).containsExactly("foo_total");
        assertThat(PromQl.read(null).selectors()).isEmpty();
        assertThat(PromQl.read("vector(1) > 0").selectors()).isEmpty();
    }
}
