package dev.rootcause.rule.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.alert.reading.AlertReader;
import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.alert.reading.SymptomReading;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped rules/symptoms.yaml on expressions of the metric families teams run (classic client, Micrometer,
 * OpenTelemetry, Istio, Envoy, Linkerd, ingress-nginx, HAProxy, Traefik, Redis, memcached, node, cAdvisor,
 * kube-state-metrics, blackbox, Kafka, RabbitMQ, databases, SLO generators).
 */
class ShippedVocabularyTest {

    static final AlertReader READER = new AlertReader(SymptomVocabulary.load(Path.of("rules/symptoms.yaml")).current(), List.of());

    static Stream<Arguments> expressions() {
        return Stream.of(
                a("histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket[5m]))) > 1", "latency"),
                a("sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m])) > 0.05", "errors"),
                a("sum(rate(http_server_requests_seconds_count{outcome=\"SERVER_ERROR\"}[5m])) / sum(rate(http_server_requests_seconds_count[5m])) > 0.01", "errors"),
                a("sum(rate(http_server_request_duration_seconds_count{http_response_status_code=~\"5..\"}[5m])) / sum(rate(http_server_request_duration_seconds_count[5m]))", "errors"),
                a("histogram_quantile(0.95, sum(rate(http_server_request_duration_seconds_bucket[5m])) by (le, service_name)) > 0.3", "latency"),
                a("sum(rate(istio_requests_total{response_code=~\"5.*\"}[1m])) by (destination_service_name) / sum(rate(istio_requests_total[1m])) by (destination_service_name) > 0.05", "errors"),
                a("histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket[1m])) by (le)) > 1000", "latency"),
                a("sum(rate(envoy_cluster_upstream_rq_xx{envoy_response_code_class=\"5\"}[5m])) / sum(rate(envoy_cluster_upstream_rq_total[5m]))", "errors"),
                a("sum(rate(response_total{classification=\"failure\", direction=\"inbound\"}[1m])) / sum(rate(response_total[1m])) > 0.1", "errors"),
                a("histogram_quantile(0.99, sum(rate(response_latency_ms_bucket[1m])) by (le, deployment)) > 500", "latency"),
                a("sum(rate(nginx_ingress_controller_requests{status=~\"5.+\"}[3m])) by (ingress) / sum(rate(nginx_ingress_controller_requests[3m])) by (ingress) * 100 > 5", "errors"),
                a("sum(rate(haproxy_backend_http_responses_total{code=\"5xx\"}[1m])) by (proxy) / sum(rate(haproxy_backend_http_requests_total[1m])) by (proxy) * 100 > 5", "errors"),
                a("sum(rate(traefik_service_requests_total{code=~\"5.*\"}[3m])) by (service) / sum(rate(traefik_service_requests_total[3m])) by (service) * 100 > 5", "errors"),
                a("sum(rate(grpc_server_handled_total{grpc_code!=\"OK\"}[5m])) / sum(rate(grpc_server_handled_total[5m]))", "errors"),
                a("sum(rate(http_requests_total{code!~\"5..\"}[5m])) / sum(rate(http_requests_total[5m])) < 0.999", "errors"),
                a("rate(redis_keyspace_hits_total[5m]) / (rate(redis_keyspace_hits_total[5m]) + rate(redis_keyspace_misses_total[5m])) < 0.8", "cache"),
                a("increase(redis_evicted_keys_total[5m]) > 0", "cache"),
                a("redis_memory_used_bytes / redis_memory_max_bytes * 100 > 90", "cache"),
                a("redis_connected_clients / redis_config_maxclients * 100 > 90", "saturation.connections"),
                a("rate(memcached_items_evicted_total[5m]) > 10", "cache"),
                a("sum(increase(container_cpu_cfs_throttled_periods_total[5m])) by (container) / sum(increase(container_cpu_cfs_periods_total[5m])) by (container) > 0.25", "saturation.cpu"),
                a("sum(container_memory_working_set_bytes{container!=\"\"}) by (pod) / sum(kube_pod_container_resource_limits{resource=\"memory\"}) by (pod) > 0.9", "saturation.memory"),
                a("increase(kube_pod_container_status_restarts_total[10m]) > 3", "restarts"),
                a("kube_pod_container_status_last_terminated_reason{reason=\"OOMKilled\"} == 1", "saturation.memory", "restarts"),
                a("max_over_time(kube_pod_container_status_waiting_reason{reason=\"CrashLoopBackOff\"}[5m]) >= 1", "restarts"),
                a("hikaricp_connections_active / hikaricp_connections_max > 0.9", "saturation.connections"),
                a("hikaricp_connections_pending > 0", "saturation.connections"),
                a("sum(increase(jvm_gc_pause_seconds_sum[5m])) by (application) > 1", "gc"),
                a("jvm_threads_live_threads / jvm_threads_peak_threads > 0.95", "saturation.threads"),
                a("executor_active_threads / executor_pool_max_threads > 0.9", "saturation.threads"),
                a("(node_filesystem_avail_bytes * 100) / node_filesystem_size_bytes < 10 and node_filesystem_readonly == 0", "disk"),
                a("rate(node_disk_io_time_seconds_total[1m]) > 0.9", "disk"),
                a("100 - (avg by(instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[2m])) * 100) > 80", "saturation.cpu"),
                a("node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes * 100 < 10", "saturation.memory"),
                a("node_nf_conntrack_entries / node_nf_conntrack_entries_limit > 0.8", "network"),
                a("rate(node_network_receive_errs_total[2m]) / rate(node_network_receive_packets_total[2m]) > 0.01", "network"),
                a("probe_success == 0", "availability"),
                a("up == 0", "availability"),
                a("absent(up{job=\"checkout\"})", "availability"),
                a("probe_ssl_earliest_cert_expiry - time() < 86400 * 20", "certificate"),
                a("sum(probe_http_duration_seconds{phase=\"connect\"}) by (instance) > 0.5", "network"),
                a("probe_dns_lookup_time_seconds > 1", "network"),
                a("kafka_consumergroup_lag > 1000", "queue"),
                a("sum(kafka_consumergroup_lag) by (consumergroup, topic) > 50", "queue"),
                a("rabbitmq_queue_messages_ready > 1000", "queue"),
                a("sum by (datname) (pg_stat_activity_count) > pg_settings_max_connections * 0.8", "saturation.connections"),
                a("max_over_time(mysql_global_status_threads_connected[1m]) / mysql_global_variables_max_connections * 100 > 80", "saturation.connections"),
                a("(slo:sli_error:ratio_rate5m{sloth_id=\"x\", sloth_service=\"checkout\", sloth_slo=\"requests-availability\"} > (14.4 * 0.001))", "errors"),
                a("(slo:sli_error:ratio_rate5m{sloth_service=\"checkout\", sloth_slo=\"requests-latency\"} > (14.4 * 0.001))", "latency"),
                a("http_requests:burnrate5m{slo=\"api-errors\"} > (14 * (1-0.99)) and http_requests:burnrate1h{slo=\"api-errors\"} > (14 * (1-0.99))", "errors"),
                a("http_request_duration_seconds:burnrate5m{slo=\"api-latency\"} > (14 * (1-0.99))", "latency"),
                a("apiserver_request:burnrate1h > (14.40 * 0.01000) and apiserver_request:burnrate5m > (14.40 * 0.01000)", "errors"),
                a("instance:node_cpu_utilisation:rate5m > 0.9", "saturation.cpu"));
    }

    private static Arguments a(String expr, String... symptoms) {
        return Arguments.of(expr, Arrays.asList(symptoms));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expressions")
    void readsTheSymptomFromTheExpression(String expr, List<String> symptoms) {
        AlertReading r = READER.readRule("TeamA-Page-7", expr, Map.of(), Map.of());
        assertThat(r.symptomList()).extracting(Symptom::name).as(r.summary()).containsExactlyElementsOf(symptoms);
        assertThat(r.symptoms()).allMatch(s -> s.from() == SymptomReading.From.EXPRESSION);
    }

    @Test
    void reasonsNameWhatWasSeen() {
        assertThat(READER.readRule("X", "histogram_quantile(0.9, rate(http_server_requests_seconds_bucket[5m])) > 1", Map.of(), Map.of())
                .symptoms().get(0).reason()).isEqualTo("histogram_quantile over http_server_requests_seconds_bucket");
        assertThat(READER.readRule("X", "rate(nginx_ingress_controller_requests{status=~\"5..\"}[5m]) > 1", Map.of(), Map.of())
                .symptoms().get(0).reason()).isEqualTo("matcher status=~\"5..\" on nginx_ingress_controller_requests");
    }

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("HTTPRequestsSlow", List.of("latency")),
                Arguments.of("PaymentCallsSlow", List.of("latency")),
                Arguments.of("RequestsSlow", List.of("latency")),
                Arguments.of("RedisKeysEvicted", List.of("cache")),
                Arguments.of("CacheHitRateLow", List.of("cache")),
                Arguments.of("CertificateExpiringSoon", List.of("certificate")),
                Arguments.of("KubePodCrashLooping", List.of("restarts")),
                Arguments.of("HighErrorRate", List.of("errors")),
                Arguments.of("InstanceDown", List.of("availability")),
                Arguments.of("ThreadPoolExhausted", List.of("saturation.threads")),
                Arguments.of("KafkaConsumerLag", List.of("queue")),
                Arguments.of("TeamA-Page-7", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void readsWholeWordsOfTheName(String name, List<String> symptoms) {
        AlertReading r = READER.read(Map.of("alertname", name), Map.of(), null);
        assertThat(r.symptomList()).extracting(Symptom::name).as(r.summary()).containsExactlyElementsOf(symptoms);
    }

    @Test
    void wordsOfTheSummaryWhenTheNameSaysNothingButNeverOfTheDescription() {
        AlertReading r = READER.read(Map.of("alertname", "TeamA-Page-7"), Map.of("summary", "checkout p99 above 2s", "description",
                "may exhaust the connection pool, then the cache"), null);
        assertThat(r.symptoms()).extracting(s -> s.symptom().name() + " / " + s.reason()).containsExactly("latency / word 'p99' in the summary");
        assertThat(READER.read(Map.of("alertname", "TeamA-Page-7"), Map.of("description", "p99 latency above 2s"), null).symptoms()).isEmpty();
        assertThat(READER.read(Map.of("alertname", "TeamA-Page-7"), Map.of("summary", "cpu and memory high"), null).symptoms())
                .as("a summary naming two symptoms says neither for sure").isEmpty();
    }

    @Test
    void phrasesClaimTheirWordsAndErrorsOnlyQualify() {
        assertThat(READER.read(Map.of("alertname", "HaproxyHttpSlowingDown"), Map.of(), null).symptomList()).extracting(Symptom::name)
                .containsExactly("latency");
        assertThat(READER.read(Map.of("alertname", "NetworkInterfaceErrors"), Map.of(), null).symptomList()).extracting(Symptom::name)
                .containsExactly("network");
        assertThat(READER.read(Map.of("alertname", "HighErrorRate"), Map.of(), null).symptomList()).extracting(Symptom::name)
                .containsExactly("errors");
    }

    @Test
    void conditionsAndDivisorsDoNotAddSymptoms() {
        assertThat(READER.readRule("X", "thanos_sidecar_prometheus_up == 0 and on (pod) prometheus_tsdb_data_replay_duration_seconds != 0",
                Map.of(), Map.of()).symptomList()).extracting(Symptom::name).containsExactly("availability");
        assertThat(READER.readRule("X", "increase(kube_pod_container_status_restarts_total[10m]) >= 1 and ignoring (reason)"
                + " kube_pod_container_status_last_terminated_reason{reason=\"OOMKilled\"} == 1", Map.of(), Map.of()).symptomList())
                .extracting(Symptom::name).as("a condition whose matcher names the cause counts").containsExactly("restarts", "saturation.memory");
    }

    @Test
    void targetsFromConventionLabelsAndRegexMatchers() {
        assertThat(READER.read(Map.of("alertname", "X", "job", "kube-state-metrics", "service", "kube-state-metrics", "pod", "p-1",
                "namespace", "shop"), Map.of(), null).target().ordered()).containsExactly(Map.entry("pod", "p-1"), Map.entry("namespace", "shop"));
        assertThat(READER.readRule("X", "absent(up{job=~\".*thanos-store.*\"} == 1)", Map.of(), Map.of()).target().get("service"))
                .isEqualTo("thanos-store");
        assertThat(READER.read(Map.of("alertname", "X", "server", "10.0.5.21:8080", "job", "orders-db"), Map.of(), null).target().get("service"))
                .isEqualTo("orders-db");
        assertThat(READER.read(Map.of("alertname", "X"), Map.of(), null).noTarget())
                .isEqualTo("no label or matcher names a service, pod, node or instance");
    }

    @Test
    void thePinWinsOverExpressionAndWords() {
        Map<String, String> labels = new HashMap<>(Map.of("alertname", "HighErrorRate", "rootcause_symptom", "Latency, saturation.threads"));
        AlertReading r = READER.read(labels, Map.of(), "http://prom:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1");
        assertThat(r.symptomList()).extracting(Symptom::name).containsExactly("latency", "saturation.threads");
        assertThat(r.symptoms().get(0).from()).isEqualTo(SymptomReading.From.LABEL);
        AlertReading annotated = READER.read(Map.of("alertname", "X"), Map.of("rootcause_symptom", "cache"), null);
        assertThat(annotated.symptoms().get(0).reason()).isEqualTo("annotation rootcause_symptom=\"cache\"");
    }

    @Test
    void aMisspeltPinIsSkippedAndTheExpressionIsRead() {
        String url = "http://prom:9090/graph?g0.expr=sum%28rate%28http_requests_total%7Bcode%3D~%225..%22%7D%5B5m%5D%29%29&g0.tab=1";
        AlertReading misspelt = READER.read(Map.of("alertname", "X", "rootcause_symptom", "latncy"), Map.of(), url);
        assertThat(misspelt.symptomList()).extracting(Symptom::name).containsExactly("errors");
        AlertReading partly = READER.read(Map.of("alertname", "X", "rootcause_symptom", "latncy, saturation"), Map.of(), url);
        assertThat(partly.symptomList()).extracting(Symptom::name).containsExactly("saturation");
        assertThat(partly.summary()).contains("saturation (label: rootcause_symptom=\"latncy, saturation\")");
    }

    @Test
    void theExpressionComesFromTheGeneratorUrl() {
        String url = "http://prometheus.example:9090/graph?g0.expr=histogram_quantile%280.99%2C+sum+by+%28le%29+%28rate%28"
                + "http_server_requests_seconds_bucket%7Bapplication%3D%22checkout%22%7D%5B5m%5D%29%29%29+%3E+1&g0.tab=1";
        AlertReading r = READER.read(Map.of("alertname", "TeamA-Page-7", "application", "checkout"), Map.of(), url);
        assertThat(r.expression()).startsWith("histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{application=\"checkout\"}");
        assertThat(r.summary()).isEqualTo("symptom latency (expression: histogram_quantile over http_server_requests_seconds_bucket),"
                + " target service checkout (label application)");
    }
}
