package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.PackagedApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A problem raised on a real Zabbix 6.0 LTS (Debian's packages, {@code scripts/zabbix.sh}) reaches rootcause through
 * the shipped media type script (integrations/zabbix/rootcause-webhook.js, run by Zabbix's own alerter), opens an
 * incident, and its report cites Zabbix history read back over the JSON-RPC API; the recovery resolves it.
 * Prometheus is absent (its URL answers nothing): the Zabbix rule is the one that can answer.
 *
 * <p>Zabbix is configured over its API as a person would: a host with two trapper items (the ICMP Ping template's
 * keys {@code icmppingloss}, {@code icmppingsec}), a trigger with an opaque name (only its expression's item key says
 * "network"), the media type with the script, Admin's media and an action. An hour of history is sent with
 * timestamps (the sender protocol), then packet loss, kept up until the report is there.
 */
class ZabbixProblemIT {

    static final String HOST = "edge-router-1";
    static final String TRIGGER = "NOC-P2-17";

    private static Path work;
    private static ZabbixStack zabbix;
    private static PackagedApp app;
    private static String triggerId;
    private static final ScheduledExecutorService SENDER = Executors.newSingleThreadScheduledExecutor();
    private static volatile double loss = 0.5;
    private static long setupMillis;

    @BeforeAll
    static void up() throws Exception {
        long t0 = System.nanoTime();
        work = Files.createTempDirectory("rootcause-zabbix");
        zabbix = new ZabbixStack(Path.of("target/zabbix-it").toAbsolutePath());
        zabbix.up();
        app = new PackagedApp(work);
        String token = configure("http://127.0.0.1:" + app.port() + "/api/v1/alerts/zabbix");

        Path rules = Files.createDirectories(work.resolve("rules"));
        try (Stream<Path> files = Files.list(Path.of("rules"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, rules.resolve(f.getFileName()));
            }
        }
        int closed;
        try (var s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there once closed: Prometheus absent
        }
        app.start(Map.of(
                "quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + work.resolve("data/rootcause")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "rootcause.rules.dir", rules.toString(),
                "rootcause.sources.prometheus.url", "http://127.0.0.1:" + closed,
                "rootcause.sources.items.kind", "zabbix",
                "rootcause.sources.items.url", zabbix.frontend(),
                "rootcause.sources.items.token", token));
        setupMillis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    }

    /** Configures Zabbix over its API; answers the API token rootcause reads history with. */
    private static String configure(String webhook) throws Exception {
        String userId = "1"; // Admin, the super admin of Zabbix's data.sql
        zabbix.api("token.create", Map.of("name", "rootcause", "userid", userId));
        JsonNode tokenIds = zabbix.api("token.get", Map.of("output", List.of("tokenid"), "filter", Map.of("name", "rootcause")));
        String token = zabbix.api("token.generate", List.of(tokenIds.get(0).get("tokenid").asText())).get(0).get("token").asText();

        String group = zabbix.api("hostgroup.create", Map.of("name", "Network")).get("groupids").get(0).asText();
        String host = zabbix.api("host.create", Map.of("host", HOST, "name", "Edge router 1",
                "groups", List.of(Map.of("groupid", group)))).get("hostids").get(0).asText();
        for (String[] item : new String[][] {{"icmppingloss", "ICMP loss", "%"}, {"icmppingsec", "ICMP response time", "s"}}) {
            zabbix.api("item.create", Map.of("hostid", host, "key_", item[0], "name", item[1], "units", item[2],
                    "type", 2, "value_type", 0)); // 2: Zabbix trapper; 0: numeric float
        }
        triggerId = zabbix.api("trigger.create", Map.of("description", TRIGGER, "expression", "last(/" + HOST + "/icmppingloss)>20",
                "priority", 4, "tags", List.of(Map.of("tag", "team", "value", "noc")))).get("triggerids").get(0).asText();
        zabbix.api("usermacro.createglobal", Map.of("macro", "{$ZABBIX.URL}", "value", zabbix.frontend()));

        List<Map<String, String>> parameters = new ArrayList<>();
        String[][] p = {{"url", webhook}, {"token", ""}, {"zabbix_url", "{$ZABBIX.URL}"}, {"event_id", "{EVENT.ID}"},
            {"event_value", "{EVENT.VALUE}"}, {"event_name", "{EVENT.NAME}"}, {"event_severity", "{EVENT.SEVERITY}"},
            {"event_date", "{EVENT.DATE}"}, {"event_time", "{EVENT.TIME}"}, {"event_recovery_date", "{EVENT.RECOVERY.DATE}"},
            {"event_recovery_time", "{EVENT.RECOVERY.TIME}"}, {"event_tags", "{EVENT.TAGSJSON}"}, {"host", "{HOST.HOST}"},
            {"host_name", "{HOST.NAME}"}, {"trigger_id", "{TRIGGER.ID}"}, {"trigger_name", "{TRIGGER.NAME}"},
            {"trigger_expression", "{TRIGGER.EXPRESSION}"}, {"trigger_description", "{TRIGGER.DESCRIPTION}"},
            {"trigger_url", "{TRIGGER.URL}"}, {"item_key", "{ITEM.KEY1}"}, {"receiver", "{ALERT.SENDTO}"}};
        for (String[] kv : p) {
            parameters.add(Map.of("name", kv[0], "value", kv[1]));
        }
        String script = Files.readString(Path.of("integrations/zabbix/rootcause-webhook.js"));
        String mediaType = zabbix.api("mediatype.create", Map.of("type", 4, "name", "rootcause", "script", script, "timeout", "30s",
                "parameters", parameters, "message_templates", List.of(
                        Map.of("eventsource", 0, "recovery", 0, "subject", "Problem: {EVENT.NAME}", "message", "{EVENT.NAME} on {HOST.NAME}"),
                        Map.of("eventsource", 0, "recovery", 1, "subject", "Resolved: {EVENT.NAME}", "message", "{EVENT.NAME} resolved"))))
                .get("mediatypeids").get(0).asText();
        zabbix.api("user.update", Map.of("userid", userId, "medias", List.of(Map.of("mediatypeid", mediaType, "sendto", "rootcause",
                "active", 0, "severity", 63, "period", "1-7,00:00-24:00"))));
        Map<String, Object> notify = Map.of("operationtype", 0, "opmessage", Map.of("default_msg", 1, "mediatypeid", mediaType),
                "opmessage_usr", List.of(Map.of("userid", userId)));
        zabbix.api("action.create", Map.of("name", "rootcause", "eventsource", 0, "status", 0, "esc_period", "1h",
                "filter", Map.of("evaltype", 0, "conditions", List.of(Map.of("conditiontype", 2, "operator", 0, "value", triggerId))),
                "operations", List.of(notify), "recovery_operations", List.of(notify)));
        return token;
    }

    @AfterAll
    static void down() throws Exception {
        SENDER.shutdownNow();
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            if (zabbix != null) {
                zabbix.down();
            }
        }
    }

    @Test
    void aZabbixProblemOpensAnIncidentWhoseReportCitesZabbixHistoryAndItsRecoveryResolvesIt() throws Exception {
        long t0 = System.nanoTime();
        long now = Instant.now().getEpochSecond();
        // an hour of history a minute apart: ~0.5 % loss, 12 ms round trips; the configuration cache takes the new
        // items within a second or two (CacheUpdateFrequency=1): until then the trapper answers "processed: 0"
        List<ObjectNode> hour = new ArrayList<>();
        for (int m = 60; m >= 2; m--) {
            hour.add(ZabbixStack.value(HOST, "icmppingloss", 0.4 + (m % 3) * 0.1, now - 60L * m));
            hour.add(ZabbixStack.value(HOST, "icmppingsec", 0.012 + (m % 2) * 0.001, now - 60L * m));
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> zabbix.send(hour) == hour.size());
        // then loss: 35 % from a minute ago, and every 2 s until the report is there
        List<ObjectNode> lossRows = new ArrayList<>();
        for (int s = 60; s > 0; s -= 10) {
            lossRows.add(ZabbixStack.value(HOST, "icmppingloss", 35.0, now - s));
            lossRows.add(ZabbixStack.value(HOST, "icmppingsec", 0.013, now - s));
        }
        loss = 35.0;
        assertThat(zabbix.send(lossRows)).isEqualTo(lossRows.size());
        SENDER.scheduleAtFixedRate(() -> {
            try {
                long t = Instant.now().getEpochSecond();
                zabbix.send(List.of(ZabbixStack.value(HOST, "icmppingloss", loss, t), ZabbixStack.value(HOST, "icmppingsec", 0.013, t)));
            } catch (Exception e) {
                System.err.println("sender: " + e);
            }
        }, 2, 2, TimeUnit.SECONDS);

        String groupKey = "{}:{host=\"" + HOST + "\", trigger_id=\"" + triggerId + "\"}";
        JsonNode incident = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> incident(groupKey), i -> i != null && !i.get("report").isNull());
        long problemToReport = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        String markdown = incident.at("/report/markdown").asText();
        System.out.println("\n==================== ZABBIX: report of incident " + incident.get("id").asText() + " ====================\n"
                + markdown);

        // the alert as Zabbix's alerter delivered it through the media type script
        assertThat(incident.get("source").asText()).isEqualTo("zabbix");
        JsonNode alert = incident.at("/alerts/0");
        JsonNode problems = zabbix.api("event.get", Map.of("output", List.of("eventid", "clock"), "objectids", List.of(triggerId),
                "value", 1, "source", 0, "object", 0));
        assertThat(alert.get("fingerprint").asText()).as("the Zabbix event id").isEqualTo(problems.get(0).get("eventid").asText());
        assertThat(Instant.parse(alert.get("startsAt").asText()).getEpochSecond()).isEqualTo(problems.get(0).get("clock").asLong());
        assertThat(alert.at("/labels/alertname").asText()).isEqualTo(TRIGGER);
        assertThat(alert.at("/labels/host").asText()).isEqualTo(HOST);
        assertThat(alert.at("/labels/severity").asText()).isEqualTo("high");
        assertThat(alert.at("/labels/team").asText()).isEqualTo("noc");
        assertThat(alert.get("generatorURL").asText()).isEqualTo(zabbix.frontend() + "tr_events.php?triggerid=" + triggerId
                + "&eventid=" + alert.get("fingerprint").asText());
        // an opaque trigger name: only the expression's item key routes it (the shared hook)
        assertThat(markdown).contains("**Read as:** symptom network (expression: metric icmppingloss");

        // the report cites Zabbix history
        JsonNode rootCause = incident.get("rootCause");
        assertThat(rootCause.isNull()).as(markdown).isFalse();
        assertThat(rootCause.get("summary").asText()).as(markdown).contains("Packet loss to " + HOST + " rose from")
                .contains("Zabbix ICMP loss, history.get");
        JsonNode lossEvidence = null;
        for (JsonNode e : incident.at("/report/evidence")) {
            if ("items.compare".equals(e.get("type").asText()) && e.get("query").asText().endsWith("key=icmppingloss")) {
                lossEvidence = e;
            }
        }
        assertThat(lossEvidence).as(markdown).isNotNull();
        assertThat(lossEvidence.get("source").asText()).isEqualTo("zabbix");
        assertThat(lossEvidence.get("status").asText()).as(lossEvidence.toString()).isEqualTo("ok");
        assertThat(lossEvidence.at("/values/before").asDouble()).isBetween(0.3, 0.7);
        assertThat(lossEvidence.at("/values/after").asDouble()).isEqualTo(35.0);
        assertThat(lossEvidence.at("/values/before_points").asLong()).isGreaterThanOrEqualTo(55);
        assertThat(lossEvidence.get("link").asText()).startsWith(zabbix.frontend() + "history.php?action=showgraph&itemids%5B%5D=");
        // Prometheus absent: its rules could not run, and the report says so rather than ruling anything out
        assertThat(markdown).containsIgnoringCase("prometheus");

        // the recovery: loss back to normal, Zabbix sends the recovery, the incident resolves
        long r0 = System.nanoTime();
        loss = 0.3;
        long id = incident.get("id").asLong();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> "resolved".equals(Api.read(app.get("/api/v1/incidents/" + id).body()).get("status").asText()));
        JsonNode resolved = Api.read(app.get("/api/v1/incidents/" + id).body());
        assertThat(resolved.at("/alerts/0/status").asText()).isEqualTo("resolved");
        assertThat(resolved.at("/alerts/0/fingerprint").asText()).isEqualTo(alert.get("fingerprint").asText());
        System.out.printf("ZABBIX setup (zabbix up + configure + service start) %d ms, problem sent -> report %d ms, recovery sent -> resolved %d ms%n",
                setupMillis, problemToReport, Duration.ofNanos(System.nanoTime() - r0).toMillis());
    }

    private static JsonNode incident(String groupKey) {
        for (JsonNode i : Api.read(app.get("/api/v1/incidents").body())) {
            if (groupKey.equals(i.get("groupKey").asText())) {
                return Api.read(app.get("/api/v1/incidents/" + i.get("id").asText()).body());
            }
        }
        return null;
    }
}
