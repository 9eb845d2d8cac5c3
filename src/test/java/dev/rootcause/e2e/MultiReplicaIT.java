package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.PackagedApp;
import dev.rootcause.Payloads;
import dev.rootcause.chat.discord.FakeDiscord;
import dev.rootcause.e2e.replicas.AlertmanagerPair;
import dev.rootcause.e2e.replicas.LoadBalancer;
import dev.rootcause.e2e.replicas.PrivatePostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 on real parts: three packaged replicas with the default processing configuration behind HAProxy
 * ({@link LoadBalancer}, health checks on {@code /q/health/ready}), fed by two real Alertmanagers clustered as an
 * HA pair ({@link AlertmanagerPair}; every alert is posted to both, as a Prometheus HA pair does, and each may
 * notify), on a PostgreSQL cluster of the suite's own ({@link PrivatePostgres}, never the shared server on 5432),
 * one fake Discord (REST journal and gateway), embedded tickets. 100 groups fire; the replica holding the Discord
 * gateway is {@code kill -9}-ed mid-storm while work is pending; PostgreSQL is stopped mid-storm (intake and the
 * load balancer answer 503, Alertmanager retries) and started again; the killed replica is started again; 20 groups
 * resolve. Exact counts, from the store, the load balancer's log and Discord's journal: one delivery per group state
 * Alertmanager sent (a partial state, flushed between the two alerts of one post, counts as one), every acknowledged
 * (202) delivery stored; one incident, one diagnosis, one chat report, one ticket per group; one resolution and one
 * ticket close per resolved group; one gateway session, handed over within the stated bound; nothing left pending.
 * How many notifications the pair sends is not fixed (the cluster's dedup is best effort): duplicates are
 * answered 200 and counted apart. Logs (replicas, HAProxy, Alertmanagers, PostgreSQL) stay in
 * {@code target/multi-replica-it/}.
 */
class MultiReplicaIT {

    static final int GROUPS = 100;
    static final int RESOLVED = 20;
    /** rootcause.incidents.lease and rootcause.outbox.lease here: the failover bound of claimed work. */
    static final Duration LEASE = Duration.ofSeconds(10);
    static final Duration ELECTION = Duration.ofSeconds(1);
    /**
     * The gateway's failover bound asserted here: the election interval plus JDA's login and READY, which took up to
     * 27 s on the 2-core CI machine under load 30 (a second on an idle one).
     */
    static final Duration GATEWAY_BOUND = ELECTION.plusSeconds(44);
    static final String INTAKE = "/api/v1/alerts/alertmanager";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The suite's private PostgreSQL (set once it has started). */
    String url;

    /** Kept after the run (each replica's service.log) for a failure to be read; emptied at the start. */
    Path dir;

    @org.junit.jupiter.api.BeforeEach
    void workDir(org.junit.jupiter.api.TestInfo test) throws java.io.IOException {
        dir = Path.of("target/multi-replica-it", test.getTestMethod().orElseThrow().getName()).toAbsolutePath();
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }

    @Test
    void threeReplicasBehindHaproxyFedByAnAlertmanagerPairSurviveAKillAndAPostgresRestart() throws Exception {
        try (PrivatePostgres pg = new PrivatePostgres(dir).start(); FakeDiscord discord = new FakeDiscord()) {
            url = pg.jdbcUrl();
            List<PackagedApp> replicas = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                replicas.add(new PackagedApp(Files.createDirectories(dir.resolve("r" + i))));
            }
            try (LoadBalancer lb = new LoadBalancer(dir, replicas.stream().map(PackagedApp::port).toList());
                    AlertmanagerPair ams = new AlertmanagerPair(dir, lb.url(INTAKE))) {
                long started = System.nanoTime();
                for (PackagedApp r : replicas) {
                    r.start(config(discord));
                }
                System.out.println("MULTI-REPLICA three replicas ready in " + millisSince(started) + " ms");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(discord.sessions())
                        .as("gateway sessions (identifies: %d)", discord.identifyCount()).isEqualTo(1));
                PackagedApp holder = replicas.get(0); // the first started took the gateway role
                List<String> groups = new ArrayList<>();
                for (int g = 0; g < GROUPS; g++) {
                    groups.add("g" + g + "-" + UUID.randomUUID());
                }
                long stormStart = System.nanoTime();
                for (String g : groups.subList(0, GROUPS / 2)) {
                    ams.postToBoth(alerts(g, null));
                }
                // mid-storm: the gateway holder dies while deliveries, diagnoses or chat posts are pending
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> count("SELECT COUNT(*) FROM delivery") >= 10 && pending() > 0);
                holder.kill();
                long killedAt = System.nanoTime();
                for (String g : groups.subList(GROUPS / 2, 3 * GROUPS / 4)) {
                    ams.postToBoth(alerts(g, null));
                }
                await().atMost(GATEWAY_BOUND).pollInterval(Duration.ofMillis(50)).until(() -> discord.identifyCount() >= 2);
                System.out.println("MULTI-REPLICA gateway failover (kill -9 to the next IDENTIFY): " + millisSince(killedAt) + " ms");

                // mid-storm: PostgreSQL stops and the last quarter fires while it is down; intake and the load
                // balancer answer 503 (nothing acknowledged is lost) and Alertmanager retries
                pg.stop();
                long pgDownAt = System.nanoTime();
                for (String g : groups.subList(3 * GROUPS / 4, GROUPS)) {
                    ams.postToBoth(alerts(g, null));
                }
                String probe = Payloads.unique("alertmanager-firing-2-alerts.json").toString();
                assertThat(replicas.get(1).post(INTAKE, probe).statusCode()).as("intake with its store down").isEqualTo(503);
                assertThat(post(lb.url(INTAKE), probe)).as("the load balancer with the store down").isEqualTo(503);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> lb.answers("POST " + INTAKE).getOrDefault(503, 0) >= 2); // an Alertmanager was refused too
                pg.start();
                System.out.println("MULTI-REPLICA PostgreSQL down for " + millisSince(pgDownAt) + " ms");
                holder.start(config(discord)); // started again: it joins as one more replica

                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                        .until(() -> count("SELECT COUNT(*) FROM delivery") >= GROUPS);
                System.out.println("MULTI-REPLICA " + GROUPS + " groups stored " + millisSince(stormStart) + " ms after the first post");
                for (String g : groups.subList(0, RESOLVED)) {
                    ams.postToBoth(alerts(g, Instant.now().toString()));
                }
                long before = System.nanoTime();
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(this::quiet);
                System.out.println("MULTI-REPLICA quiet " + millisSince(before) + " ms after the resolutions were posted");

                Map<Integer, Integer> answers = lb.answers("POST " + INTAKE);
                System.out.printf("MULTI-REPLICA load balancer answers %s; alertmanager notifications %s + %s, failed %s + %s%n", answers,
                        ams.metric(0, "alertmanager_notifications_total"), ams.metric(1, "alertmanager_notifications_total"),
                        ams.metric(0, "alertmanager_notifications_failed_total"), ams.metric(1, "alertmanager_notifications_failed_total"));
                assertThat(answers.keySet()).as("stored (202), duplicate (200), store or replica down (503, 502, 504)")
                        .isSubsetOf(202, 200, 502, 503, 504);
                int partial = partialStates();
                long stored = count("SELECT COUNT(*) FROM delivery");
                assertThat(stored).as("one delivery per group state Alertmanager sent: %d full, %d partial", GROUPS + RESOLVED, partial)
                        .isEqualTo(GROUPS + RESOLVED + partial);
                // a commit whose answer was lost to the PostgreSQL stop is stored and answered 503; its retry is a duplicate
                assertThat((long) answers.get(202)).as("every acknowledged new delivery is stored").isLessThanOrEqualTo(stored)
                        .isGreaterThanOrEqualTo(stored - answers.getOrDefault(503, 0) - answers.getOrDefault(502, 0)
                                - answers.getOrDefault(504, 0));
                assertThat(ams.metric(0, "alertmanager_notifications_total") + ams.metric(1, "alertmanager_notifications_total"))
                        .as("notifications the pair sent, failed ones included").isGreaterThan(GROUPS + RESOLVED);
                assertExactCounts(discord, partial);
                assertThat(discord.sessions()).as("one gateway session at the end").isEqualTo(1);
                assertThat(lb.alive()).as("haproxy still running").isTrue();
            } finally {
                for (PackagedApp r : replicas) {
                    r.close();
                }
            }
        }
    }

    /**
     * The JSON array Alertmanager's {@code POST /api/v2/alerts} takes: the two alerts of the recorded fixture
     * (labels, annotations, startsAt, generatorURL) with the label {@code group} that makes {@code groupId} a group
     * of its own; {@code endsAt} in the past resolves them.
     */
    private static String alerts(String groupId, String endsAt) {
        ArrayNode out = Payloads.JSON.createArrayNode();
        for (JsonNode a : Payloads.fixture("alertmanager-firing-2-alerts.json").get("alerts")) {
            ObjectNode alert = out.addObject();
            alert.set("labels", ((ObjectNode) a.get("labels").deepCopy()).put("group", groupId));
            alert.set("annotations", a.get("annotations"));
            alert.put("startsAt", a.get("startsAt").asText());
            alert.put("generatorURL", a.get("generatorURL").asText());
            if (endsAt != null) {
                alert.put("endsAt", endsAt);
            }
        }
        return out.toString();
    }

    private long pending() throws SQLException {
        return count("SELECT COUNT(*) FROM delivery WHERE status = 'pending'")
                + count("SELECT COUNT(*) FROM incident WHERE diagnosis_due")
                + count("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND kind = 'chat.report'");
    }

    private static int post(String url, String json) throws java.io.IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    /** H2 is single-replica: a second process on the same file does not start, and says why in one line. */
    @Test
    void aSecondProcessOnTheSameH2FileIsToldWhy() throws Exception {
        Map<String, String> h2 = Map.of(
                "quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + dir.resolve("data/rootcause")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "rootcause.rules.dir", Path.of("rules").toAbsolutePath().toString());
        Path second = Files.createDirectories(dir.resolve("second"));
        try (PackagedApp first = new PackagedApp(Files.createDirectories(dir.resolve("first"))).start(h2);
                PackagedApp other = new PackagedApp(second)) {
            assertThat(first.get("/q/health/ready").statusCode()).isEqualTo(200);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.start(h2)).hasMessageContaining("service exited with 1");
            assertThat(Files.readString(second.resolve("service.log")))
                    .contains("the H2 store file is held by another process").contains("H2 serves one replica");
        }
    }

    /**
     * The group states stored besides each group's full firing state and each resolved group's full resolved state:
     * Alertmanager may flush a group between the two alerts of one post (its group_wait or group_interval timer fires
     * between them on a loaded machine), and that partial state is a notification of its own, stored and
     * de-duplicated like any. Fails when a group lacks a full state or a stored state is neither full nor partial.
     */
    private int partialStates() throws SQLException, java.io.IOException {
        Map<String, List<String>> statesByGroup = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement ps = c.prepareStatement("SELECT body_utf8 FROM delivery"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                JsonNode body = Payloads.JSON.readTree(rs.getBytes(1));
                List<String> statuses = new ArrayList<>();
                body.get("alerts").forEach(a -> statuses.add(a.get("status").asText()));
                statuses.sort(null);
                statesByGroup.computeIfAbsent(body.get("groupLabels").get("group").asText(), g -> new ArrayList<>())
                        .add(String.join(",", statuses));
            }
        }
        int partial = 0;
        for (Map.Entry<String, List<String>> e : statesByGroup.entrySet()) {
            List<String> states = new ArrayList<>(e.getValue());
            assertThat(states.remove("firing,firing")).as("group %s has its full firing state: %s", e.getKey(), e.getValue()).isTrue();
            states.remove("resolved,resolved");
            assertThat(states).as("group %s: what is left are partial states", e.getKey())
                    .allMatch(st -> st.equals("firing") || st.equals("firing,resolved"));
            partial += states.size();
        }
        assertThat(statesByGroup).as("groups stored").hasSize(GROUPS);
        assertThat(statesByGroup.values().stream().filter(v -> v.contains("resolved,resolved")).count())
                .as("groups stored resolved").isEqualTo(RESOLVED);
        if (partial > 0) {
            System.out.println("MULTI-REPLICA partial group states Alertmanager sent: " + partial);
        }
        return partial;
    }

    private void assertExactCounts(FakeDiscord discord, int partial) throws SQLException {
        assertThat(count("SELECT COUNT(*) FROM delivery WHERE status = 'processed'")).isEqualTo(GROUPS + RESOLVED + partial);
        assertThat(count("SELECT COUNT(*) FROM incident")).as("one incident per group").isEqualTo(GROUPS);
        assertThat(count("SELECT COUNT(*) FROM report")).as("one diagnosis per incident change").isEqualTo(GROUPS);
        assertThat(count("SELECT COUNT(*) FROM timeline_entry WHERE kind = 'alerts'")).as("one timeline entry per delivery")
                .isEqualTo(GROUPS + RESOLVED + partial);
        assertThat(count("SELECT COUNT(*) FROM timeline_entry WHERE kind = 'diagnosed'")).isEqualTo(GROUPS);
        assertThat(count("SELECT COUNT(*) FROM timeline_entry WHERE kind = 'resolved'")).isEqualTo(RESOLVED);
        assertThat(count("SELECT COUNT(*) FROM incident WHERE status = 'resolved'")).isEqualTo(RESOLVED);
        assertThat(count("SELECT COUNT(*) FROM ticket")).as("one ticket per incident").isEqualTo(GROUPS);
        assertThat(count("SELECT COUNT(*) FROM ticket WHERE status = 'closed'")).as("one close per resolved incident").isEqualTo(RESOLVED);
        assertThat(count("SELECT COUNT(*) FROM outbox WHERE kind = 'ticket.close' AND status = 'done'")).isEqualTo(RESOLVED);
        assertThat(count("SELECT COUNT(*) FROM outbox WHERE kind = 'chat.report' AND status = 'done'")).isEqualTo(GROUPS);
        assertThat(count("SELECT COUNT(*) FROM chat_message")).as("one chat message per incident").isEqualTo(GROUPS);
        // Discord's journal: every report post carries its effect's nonce; a post repeated after the holder died
        // mid-request repeats the nonce and Discord (enforce_nonce) answers the first message again
        Set<String> reportNonces = new HashSet<>();
        discord.requests("POST", "/api/v10/channels/" + FakeDiscord.CHANNEL + "/messages").stream().map(FakeDiscord::payload)
                .filter(p -> p.has("embeds") && p.get("embeds").size() > 0).forEach(p -> reportNonces.add(p.path("nonce").asText()));
        assertThat(reportNonces).as("one chat report per report").hasSize(GROUPS);
        assertThat(count("SELECT COUNT(*) FROM outbox WHERE status <> 'done'")).as("no effect pending or dead").isZero();
    }

    /** Nothing pending anywhere: deliveries processed, no diagnosis due, every effect done. */
    private boolean quiet() throws SQLException {
        return count("SELECT COUNT(*) FROM delivery WHERE status = 'pending'") == 0
                && count("SELECT COUNT(*) FROM incident WHERE diagnosis_due") == 0
                && count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == 0
                && count("SELECT COUNT(*) FROM outbox WHERE kind = 'ticket.close' AND status = 'done'") == RESOLVED;
    }

    private Map<String, String> config(FakeDiscord discord) {
        Map<String, String> c = new HashMap<>();
        c.put("quarkus.datasource.h2.active", "false");
        c.put("quarkus.datasource.postgresql.active", "true");
        c.put("quarkus.datasource.postgresql.jdbc.url", url);
        c.put("quarkus.datasource.postgresql.username", "postgres");
        c.put("rootcause.rules.dir", Path.of("rules").toAbsolutePath().toString());
        c.put("rootcause.incidents.poll-interval", "1s"); // Quarkus' scheduler runs nothing more often
        c.put("rootcause.incidents.lease", LEASE.toSeconds() + "s");
        c.put("rootcause.outbox.lease", LEASE.toSeconds() + "s");
        c.put("rootcause.outbox.poll-interval", "1s");
        c.put("rootcause.diagnosis.deadline", "3s");
        c.put("rootcause.chat.kind", "discord");
        c.put("rootcause.chat.discord.token", FakeDiscord.TOKEN);
        c.put("rootcause.chat.discord.guild", FakeDiscord.GUILD);
        c.put("rootcause.chat.discord.channel", FakeDiscord.CHANNEL);
        c.put("rootcause.chat.discord.rest-url", discord.restBase());
        c.put("rootcause.chat.discord.gateway-url", discord.gatewayUrl());
        c.put("rootcause.chat.discord.ready-timeout", "10s");
        c.put("rootcause.chat.discord.election-interval", ELECTION.toSeconds() + "s");
        // a storm of 100 groups: every incident gets its own message here, the digest has its own test
        c.put("rootcause.chat.discord.storm.threshold", "1000");
        return c;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
