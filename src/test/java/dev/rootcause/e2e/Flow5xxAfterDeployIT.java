package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.rootcause.Api;
import dev.rootcause.PackagedApp;
import dev.rootcause.rule.CauseTemplate;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, flow A: a 5xx ratio that jumps after a deploy, on real components. Two hours of HTTP traffic are
 * backfilled into the stack's Prometheus with {@code promtool tsdb create-blocks-from openmetrics} (relative
 * to now); a test endpoint scraped by that Prometheus continues the same counters live, so its alerting rule
 * {@code Shop-P1-42} (an opaque name: only its expression says 5xx) fires genuinely and the real Alertmanager delivers the webhook to the packaged
 * service, whose shipped rule {@code http-5xx-after-deploy} diagnoses it from the change events posted to
 * {@code /api/v1/changes} and from Prometheus.
 *
 * <p>Three services, one stack:
 * <ul>
 *   <li>{@code storefront}: deploy 2.8.0 an hour ago; the 5xx ratio went from 0.5 % to 8 % and p99 from
 *       0.45 s to 2 s at that moment. The report must blame the deploy with these numbers.</li>
 *   <li>{@code payments} (negative control): the same traffic shape, but its last deploy was three hours
 *       ago, outside the rule's two-hour lookback. The report must not blame a deploy, and say so.</li>
 *   <li>{@code search} (negative control): deployed an hour ago, but its 5xx ratio was 7 % before and after.
 *       The deploy must be ruled out with the numbers that rule it out.</li>
 * </ul>
 */
class Flow5xxAfterDeployIT {

    /**
     * The alerting rule Prometheus evaluates: an opaque name and a summary that says no symptom, so only the
     * expression (Prometheus' generatorURL {@code g0.expr}) can route the alert to the 5xx rules.
     */
    static final String ALERT = "Shop-P1-42";
    static final String EXPRESSION = "sum by (service) (rate(http_requests_total{code=~\"5..\"}[1m]))"
            + " / sum by (service) (rate(http_requests_total[1m])) > 0.05";
    /** The Grafana-managed alert on storefront: an opaque name, no expression, only its words say what it is about. */
    static final String GRAFANA_ALERT = "Shop-P1-43";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Duration HISTORY = Duration.ofHours(2);
    /** The rule's comparison windows around the deploy (rules/http-5xx-after-deploy.yaml: before/after 30m). */
    private static final Duration WINDOW = Duration.ofMinutes(30);

    /** 0.5 % errors; p99 0.45 s by histogram_quantile's interpolation in the (0.25, 0.5] bucket. */
    static final HttpTraffic.Phase HEALTHY = new HttpTraffic.Phase(0.005,
            new double[] {0.30, 0.35, 0.20, 0.12, 0.025, 0.005, 0, 0, 0});
    /** 8 % errors; p99 2 s, in the (1, 2.5] bucket. */
    static final HttpTraffic.Phase BROKEN = new HttpTraffic.Phase(0.08,
            new double[] {0.20, 0.30, 0.20, 0.15, 0.07, 0.05, 0.03, 0, 0});
    /** 7 % errors all along (a chronic problem, not a new one), healthy latency. */
    static final HttpTraffic.Phase CHRONIC = new HttpTraffic.Phase(0.07, HEALTHY.latencyShares());

    private static Path work;
    private static PackagedApp app;
    private static Stack stack;
    private static HttpServer exporter;
    private static Instant deploy;
    private static final Map<String, HttpTraffic> traffic = new HashMap<>();

    @BeforeAll
    static void up() throws Exception {
        work = Files.createTempDirectory("rootcause-flow-a");
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String target = "127.0.0.1:" + exporter.getAddress().getPort();

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        deploy = now.minus(Duration.ofHours(1));
        Instant start = now.minus(HISTORY);
        traffic.put("storefront", new HttpTraffic("storefront", start, now, deploy, HEALTHY, BROKEN, 1));
        traffic.put("payments", new HttpTraffic("payments", start, now, deploy, HEALTHY, BROKEN, 2));
        traffic.put("search", new HttpTraffic("search", start, now, deploy, CHRONIC, CHRONIC, 3));
        exporter.createContext("/metrics", ex -> {
            StringBuilder text = new StringBuilder();
            Instant at = Instant.now();
            traffic.values().forEach(t -> text.append(t.exposition(at)));
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        exporter.start();
        // the labels Prometheus gives the live scrape (job testdata): history and live samples form one series
        PromBackfill history = new PromBackfill();
        traffic.values().forEach(t -> t.addTo(history, Map.of("job", "testdata", "instance", target)));
        Path blocks = history.writeBlocks(work.resolve("backfill"));
        Path alertRules = Files.writeString(work.resolve("http-alerts.yml"), """
                groups:
                  - name: http
                    interval: 1s
                    rules:
                      - alert: %s
                        expr: >-
                          %s
                        for: 5s
                        labels: {severity: critical}
                        annotations:
                          summary: 'Shop page for {{ $labels.service }}: {{ $value | humanizePercentage }}'
                """.formatted(ALERT, EXPRESSION));

        // The service and the change events first: the alert must not reach a service that does not know the deploys yet.
        app = new PackagedApp(work);
        app.start(Map.of(
                "quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + work.resolve("data/rootcause")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "rootcause.rules.dir", Path.of("rules").toAbsolutePath().toString(),
                "rootcause.sources.prometheus.url", Stack.PROMETHEUS,
                // history is sampled every 15 s: a 1m rate() window holds four samples
                "rootcause.rules.vars.rate_window", "1m"));
        postChange("storefront-pipeline-812", "storefront", "2.8.0", "2.7.4", deploy);
        postChange("payments-pipeline-377", "payments", "4.2.1", "4.2.0", now.minus(Duration.ofHours(3)));
        postChange("search-pipeline-95", "search", "5.1.0", "5.0.9", deploy);

        stack = new Stack(Path.of("target/stack-flow-a").toAbsolutePath(),
                "http://127.0.0.1:" + app.port() + "/api/v1/alerts/alertmanager", target)
                .withBlocks(blocks).withRuleFiles(alertRules);
        stack.up("metrics");
        HttpResponse<String> grafana = app.postJson("/api/v1/alerts/grafana", grafanaWebhook(now.minus(Duration.ofMinutes(2))));
        assertThat(grafana.statusCode()).as(grafana.body()).isEqualTo(202);
    }

    @AfterAll
    static void down() throws Exception {
        try {
            try {
                if (app != null) {
                    app.close();
                }
            } finally {
                if (exporter != null) {
                    exporter.stop(0);
                }
            }
        } finally {
            if (stack != null) {
                List<Long> started = stack.pids();
                stack.down();
                String status = stack.status();
                System.out.printf("FLOW-A teardown: stack pids %s stopped; scripts/stack.sh status after down: [%s]%n",
                        started, status.strip());
                assertThat(status).as("scripts/stack.sh status after down").doesNotContain("running");
                assertThat(started).as("processes the stack started, after down").isNotEmpty().noneMatch(Stack::alive);
            }
        }
    }

    @Test
    void theDeployThatRaisedThe5xxRatioIsBlamedWithItsNumbers() {
        JsonNode incident = awaitReport("storefront");
        HttpTraffic t = traffic.get("storefront");
        JsonNode rootCause = incident.get("rootCause");
        String markdown = incident.at("/report/markdown").asText();
        assertThat(rootCause.isNull()).as(markdown).isFalse();
        // delivered by the real Alertmanager, from the real Prometheus' rule
        assertThat(incident.get("source").asText()).isEqualTo("alertmanager");
        assertThat(incident.get("receiver").asText()).isEqualTo("rootcause");
        assertThat(incident.at("/alerts/0/generatorURL").asText()).contains(":19090/graph?g0.expr=");
        // an opaque name and a summary that says nothing: only the expression routed it to the 5xx rules
        assertThat(incident.at("/alerts/0/labels/alertname").asText()).isEqualTo(ALERT);
        assertThat(markdown).contains("**Read as:** symptom errors (expression: matcher code=~\"5..\" on http_requests_total),"
                + " target service storefront (label service)");

        JsonNode deployEvidence = evidence(incident, "deploy");
        assertThat(deployEvidence.get("kind").asText()).isEqualTo("change");
        assertThat(deployEvidence.get("status").asText()).isEqualTo("ok");
        assertThat(deployEvidence.at("/values/version").asText()).isEqualTo("2.8.0");
        assertThat(deployEvidence.at("/values/id").asText()).isEqualTo("storefront-pipeline-812");
        assertThat(Instant.parse(deployEvidence.at("/values/time").asText())).isEqualTo(deploy);

        // before/after the deploy, from what was backfilled: the rule means ~1000 rate() points per window,
        // the test divides the window's totals, hence the tolerance
        JsonNode errors = evidence(incident, "errors");
        assertThat(errors.get("kind").asText()).isEqualTo("metric");
        assertThat(errors.get("status").asText()).isEqualTo("ok");
        assertThat(errors.get("query").asText()).contains("service=\"storefront\"").contains("code=~\"5..\"");
        assertThat(errors.get("link").asText()).startsWith(Stack.PROMETHEUS + "/graph?g0.expr=");
        double errorsBefore = t.errorRatio(deploy.minus(WINDOW), deploy);
        double errorsAfter = t.errorRatio(deploy, deploy.plus(WINDOW));
        assertThat(errors.at("/values/before").asDouble()).isCloseTo(errorsBefore, withinPercentage(15));
        assertThat(errors.at("/values/after").asDouble()).isCloseTo(errorsAfter, withinPercentage(10));
        JsonNode p99 = evidence(incident, "p99");
        assertThat(p99.get("status").asText()).isEqualTo("ok");
        double p99Before = t.quantile(0.99, deploy.minus(WINDOW), deploy);
        double p99After = t.quantile(0.99, deploy, deploy.plus(WINDOW));
        assertThat(p99.at("/values/before").asDouble()).isCloseTo(p99Before, withinPercentage(10));
        assertThat(p99.at("/values/after").asDouble()).isCloseTo(p99After, withinPercentage(10));

        String summary = rootCause.get("summary").asText();
        assertThat(summary).contains("Deploy 2.8.0 of storefront (was 2.7.4, deploy at " + deploy + ")")
                .contains("5xx ratio from " + CauseTemplate.format(errors.at("/values/before").asDouble(), "pct")
                        + " to " + CauseTemplate.format(errors.at("/values/after").asDouble(), "pct"))
                .contains("p99 latency went from " + CauseTemplate.format(p99.at("/values/before").asDouble(), "num")
                        + "s to " + CauseTemplate.format(p99.at("/values/after").asDouble(), "num") + "s");
        // change + metric: two independent kinds, so high confidence stands
        assertThat(rootCause.get("confidence").asText()).isEqualTo("high");
        JsonNode badDeploy = finding(incident, "bad-deploy");
        assertThat(badDeploy.get("verdict").asText()).isEqualTo("supports");
        assertThat(badDeploy.get("cites")).extracting(JsonNode::asText).contains("deploy", "errors", "p99");
        assertThat(markdown).contains(summary.strip()).contains(errors.get("query").asText())
                .contains("storefront-pipeline-812");
        print("storefront", incident, String.format("expected from the backfill: 5xx %.4f -> %.4f, p99 %.3fs -> %.3fs",
                errorsBefore, errorsAfter, p99Before, p99After));
    }

    /**
     * A Grafana-managed alert on the same service: Grafana's webhook, its generatorURL the rule's page
     * ({@code /alerting/grafana/<uid>/view}, no expression), an opaque name; the summary's words are all there is to
     * read, and they reach the same rule and the same deploy.
     */
    @Test
    void aGrafanaManagedAlertWithNoExpressionIsReadFromItsWordsAndBlamesTheSameDeploy() {
        JsonNode incident = await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250))
                .until(() -> incidentWithAlertname(GRAFANA_ALERT).map(id -> Api.read(app.get("/api/v1/incidents/" + id).body())),
                        i -> i.isPresent() && !i.get().get("report").isNull())
                .orElseThrow();
        String markdown = incident.at("/report/markdown").asText();
        assertThat(incident.get("source").asText()).isEqualTo("grafana");
        assertThat(incident.at("/alerts/0/generatorURL").asText()).contains("/alerting/grafana/").doesNotContain("g0.expr");
        assertThat(markdown).contains("**Read as:** symptom errors (words: ").contains("target service storefront (label service)");
        assertThat(incident.at("/rootCause/summary").asText()).as(markdown).contains("Deploy 2.8.0 of storefront (was 2.7.4, deploy at " + deploy + ")");
        assertThat(finding(incident, "bad-deploy").get("verdict").asText()).isEqualTo("supports");
        System.out.printf("FLOW-A grafana-managed %s webhook->report %d ms%n%s%n", GRAFANA_ALERT, FlowReports.webhookToReportMillis(incident),
                markdown);
        FlowReports.record(app, incident, "5xx-after-deploy-grafana-managed");
    }

    @Test
    void noDeployInTheWindowIsNotBlamed() {
        JsonNode incident = awaitReport("payments");
        String markdown = incident.at("/report/markdown").asText();
        assertThat(incident.get("rootCause").isNull()).as(markdown).isTrue();
        JsonNode deployEvidence = evidence(incident, "deploy");
        assertThat(deployEvidence.get("status").asText()).isEqualTo("ok");
        assertThat(deployEvidence.at("/values/found").asBoolean()).isFalse();
        // the deploy three hours ago is known, and outside the lookback
        assertThat(deployEvidence.get("reason").asText()).startsWith("no deploy/rollback changes of payments in the 2h before")
                .contains("the latest before that: 4.2.1 (deploy)");
        JsonNode badDeploy = finding(incident, "bad-deploy");
        assertThat(badDeploy.get("verdict").asText()).isEqualTo("rules_out");
        assertThat(badDeploy.get("reason").asText()).startsWith("condition not met whatever the missing steps show: ")
                .contains("(deploy.found = false,");
        assertThat(markdown).contains("**Root cause:** not determined")
                .contains("| rules_out | http-5xx-after-deploy/bad-deploy |")
                .contains("(deploy.found = false,");
        // the old deploy is named only as what it is: earlier than the rule looks, not blamed
        assertThat(markdown.lines().filter(l -> l.contains("4.2.1")).toList()).isNotEmpty()
                .allSatisfy(l -> assertThat(l).doesNotContain("Root cause").containsAnyOf("not blamed", "the latest before that", "earlier_version = 4.2.1"));
        print("payments", incident, "");
    }

    @Test
    void aDeployThatDidNotMoveTheRatioIsRuledOut() {
        JsonNode incident = awaitReport("search");
        HttpTraffic t = traffic.get("search");
        String markdown = incident.at("/report/markdown").asText();
        assertThat(incident.get("rootCause").isNull()).as(markdown).isTrue();
        JsonNode deployEvidence = evidence(incident, "deploy");
        assertThat(deployEvidence.at("/values/found").asBoolean()).isTrue();
        assertThat(deployEvidence.at("/values/version").asText()).isEqualTo("5.1.0");
        JsonNode errors = evidence(incident, "errors");
        double before = errors.at("/values/before").asDouble();
        double after = errors.at("/values/after").asDouble();
        assertThat(before).isCloseTo(t.errorRatio(deploy.minus(WINDOW), deploy), withinPercentage(10));
        assertThat(after).isCloseTo(t.errorRatio(deploy, deploy.plus(WINDOW)), withinPercentage(10));
        JsonNode badDeploy = finding(incident, "bad-deploy");
        assertThat(badDeploy.get("verdict").asText()).isEqualTo("rules_out");
        // the reason quotes the readings that rule it out: the ratio did not triple
        assertThat(badDeploy.get("reason").asText()).startsWith("condition not met: ")
                .contains("(deploy.found = true,")
                .contains("errors.after = " + CauseTemplate.format(after, null))
                .contains("errors.before = " + CauseTemplate.format(before, null));
        assertThat(after).isLessThan(3.0 * before);
        assertThat(finding(incident, "slower-after-deploy").get("verdict").asText()).isEqualTo("rules_out");
        assertThat(markdown).contains("**Root cause:** not determined")
                .contains("| rules_out | http-5xx-after-deploy/bad-deploy |");
        print("search", incident, "");
    }

    /**
     * Grafana's webhook (unified alerting, {@code version 1}) for one firing Grafana-managed alert on storefront,
     * shaped like src/test/resources/alerts/grafana-firing.json: a rule uid page as generatorURL, Grafana's
     * {@code values}/{@code valueString}, title and message; the rule's query is Grafana's own, never sent.
     */
    private static String grafanaWebhook(Instant startsAt) {
        String uid = "c7f2k9shop43";
        return """
                {"receiver": "rootcause", "status": "firing", "orgId": 1, "version": "1", "state": "alerting", "truncatedAlerts": 0,
                 "externalURL": "http://grafana.shop.example:3000/",
                 "groupKey": "{}/{__grafana_autogenerated__=\\"true\\"}/{__grafana_receiver__=\\"rootcause\\"}:{alertname=\\"%1$s\\", grafana_folder=\\"Shop\\"}",
                 "groupLabels": {"alertname": "%1$s", "grafana_folder": "Shop"},
                 "commonLabels": {"alertname": "%1$s", "grafana_folder": "Shop", "service": "storefront", "severity": "critical"},
                 "commonAnnotations": {"summary": "storefront answers 5xx to more than 5 %% of requests"},
                 "title": "[FIRING:1] %1$s Shop (storefront)",
                 "message": "**Firing**\\n\\nValue: B=0.081, C=1\\nLabels:\\n - alertname = %1$s\\n - service = storefront\\n",
                 "alerts": [{
                   "status": "firing",
                   "labels": {"alertname": "%1$s", "grafana_folder": "Shop", "service": "storefront", "severity": "critical"},
                   "annotations": {"summary": "storefront answers 5xx to more than 5 %% of requests",
                                   "description": "Share of 5xx answers: 8.1 %% over the last 5 minutes (threshold 5 %%)."},
                   "startsAt": "%2$s", "endsAt": "0001-01-01T00:00:00Z",
                   "generatorURL": "http://grafana.shop.example:3000/alerting/grafana/%3$s/view?orgId=1",
                   "fingerprint": "5b0f43c1d2e3a4f5",
                   "silenceURL": "http://grafana.shop.example:3000/alerting/silence/new?alertmanager=grafana&matcher=__alert_rule_uid__%%3D%3$s",
                   "dashboardURL": "", "panelURL": "",
                   "values": {"B": 0.081, "C": 1},
                   "valueString": "[ var='B' labels={service=storefront} value=0.081 ], [ var='C' labels={service=storefront} value=1 ]",
                   "orgId": 1}]}
                """.formatted(GRAFANA_ALERT, startsAt, uid);
    }

    private static Optional<Long> incidentWithAlertname(String alertname) {
        for (JsonNode i : Api.read(app.get("/api/v1/incidents").body())) {
            if (i.get("groupKey").asText().contains("alertname=\"" + alertname + "\"")) {
                return Optional.of(i.get("id").asLong());
            }
        }
        return Optional.empty();
    }

    private static void postChange(String id, String service, String version, String previous, Instant at) {
        HttpResponse<String> r = app.postJson("/api/v1/changes", String.format("""
                {"id": "%s", "service": "%s", "version": "%s", "previousVersion": "%s", "time": "%s",
                 "kind": "deploy", "source": "flow-a-ci", "author": "ci", "link": "https://ci.example/%s"}""", id, service, version, previous, at, id));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static JsonNode awaitReport(String service) {
        return await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250))
                .until(() -> findIncident(service).map(id -> Api.read(app.get("/api/v1/incidents/" + id).body())),
                        i -> i.isPresent() && !i.get().get("report").isNull())
                .orElseThrow();
    }

    private static Optional<Long> findIncident(String service) {
        for (JsonNode i : Api.read(app.get("/api/v1/incidents").body())) {
            if (i.get("groupKey").asText().contains("service=\"" + service + "\"")) {
                return Optional.of(i.get("id").asLong());
            }
        }
        return Optional.empty();
    }

    private static JsonNode finding(JsonNode incident, String id) {
        for (JsonNode f : incident.at("/report/findings")) {
            if ("http-5xx-after-deploy".equals(f.get("rule").asText()) && id.equals(f.get("id").asText())) {
                return f;
            }
        }
        throw new AssertionError("no finding http-5xx-after-deploy/" + id + " in " + incident.at("/report/markdown").asText());
    }

    private static JsonNode evidence(JsonNode incident, String step) {
        for (JsonNode e : incident.at("/report/evidence")) {
            if (step.equals(e.get("step").asText())) {
                return e;
            }
        }
        throw new AssertionError("no evidence " + step + " in " + incident.at("/report/markdown").asText());
    }

    /** The report as the service stored it, and webhook → report by the incident's timeline, for the closing note. */
    private static void print(String service, JsonNode incident, String note) {
        StringBuilder timeline = new StringBuilder();
        incident.get("timeline").forEach(e -> timeline.append("  ").append(e.get("at").asText()).append(' ')
                .append(e.get("kind").asText()).append(": ").append(e.get("message").asText()).append('\n'));
        System.out.printf("FLOW-A %s webhook->report %d ms%s%ntimeline:%n%s%s%n", service, FlowReports.webhookToReportMillis(incident),
                note.isEmpty() ? "" : " (" + note + ")", timeline, incident.at("/report/markdown").asText());
        // the report and its ticket as scripts/try-it.sh shows them ($ROOTCAUSE_TRYIT_OUT)
        JsonNode withTicket = FlowReports.awaitReport(app, service, Duration.ofSeconds(60));
        FlowReports.print("5xx-after-deploy" + ("storefront".equals(service) ? "" : " (negative control: " + service + ")"),
                withTicket, FlowReports.ticket(app, withTicket));
        FlowReports.record(app, withTicket, "5xx-after-deploy-" + service);
    }
}
