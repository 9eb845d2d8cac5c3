package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.PackagedApp;
import dev.rootcause.Payloads;
import dev.rootcause.chat.discord.FakeDiscord;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 on real parts: three packaged replicas with the default processing configuration on one real
 * PostgreSQL (127.0.0.1:5432, database {@code ROOTCAUSE_TEST_PGDB}, default {@code test}; it is cleaned), one
 * fake Discord (REST journal and gateway). An HA Alertmanager pair is played by sending every notification
 * twice, each copy to a different replica (as two peers behind a load balancer do). 100 groups fire; the
 * replica holding the Discord gateway is {@code kill -9}-ed mid-storm while work is pending, and started
 * again; 20 groups resolve. Exact counts, from the store and from Discord's journal: one incident, one
 * diagnosis, one chat report, one ticket per group; one resolution and one ticket close per resolved group;
 * one gateway session at a time, handed over within the stated bound; nothing left pending.
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
    static final String DB = System.getenv().getOrDefault("ROOTCAUSE_TEST_PGDB", "test");
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + DB;

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
    void threeReplicasHaDeliveryAndAKilledGatewayHolderGiveExactCounts() throws Exception {
        requirePostgres();
        try (FakeDiscord discord = new FakeDiscord()) {
            List<PackagedApp> replicas = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    replicas.add(new PackagedApp(Files.createDirectories(dir.resolve("r" + i))).start(config(discord, i == 0)));
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(discord.sessions())
                        .as("gateway sessions (identifies: %d)", discord.identifyCount()).isEqualTo(1));
                PackagedApp holder = replicas.get(0); // the first started took the gateway role

                List<ObjectNode> groups = new ArrayList<>();
                for (int g = 0; g < GROUPS; g++) {
                    groups.add(Payloads.unique("alertmanager-firing-2-alerts.json"));
                }
                ExecutorService senders = Executors.newFixedThreadPool(8);
                try {
                    Map<Integer, Integer> answers = sendBoth(senders, replicas, groups.subList(0, GROUPS / 2));
                    // mid-storm: the gateway holder dies while deliveries, diagnoses and chat posts are pending
                    long pendingAtKill = count("SELECT COUNT(*) FROM delivery WHERE status = 'pending'")
                            + count("SELECT COUNT(*) FROM incident WHERE diagnosis_due")
                            + count("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND kind = 'chat.report'");
                    holder.kill();
                    long killedAt = System.nanoTime();
                    // the new session's IDENTIFY, timed while the storm goes on
                    Future<Duration> gatewayFailover = senders.submit(() -> {
                        await().atMost(GATEWAY_BOUND).pollInterval(Duration.ofMillis(50)).until(() -> discord.identifyCount() >= 2);
                        return Duration.ofNanos(System.nanoTime() - killedAt);
                    });
                    assertThat(pendingAtKill).as("work was pending when the holder died").isPositive();
                    List<PackagedApp> alive = replicas.subList(1, 3);
                    answers.putAll(merge(answers, sendBoth(senders, alive, groups.subList(GROUPS / 2, GROUPS))));

                    System.out.println("MULTI-REPLICA gateway failover (kill -9 to the next IDENTIFY): " + gatewayFailover.get().toMillis() + " ms");
                    await().atMost(GATEWAY_BOUND).until(() -> discord.sessions() == 1);

                    holder.start(config(discord, false)); // started again: it joins as one more replica
                    List<ObjectNode> resolutions = groups.subList(0, RESOLVED).stream().map(b -> Payloads.withStatus(b, "resolved")).toList();
                    answers = merge(answers, sendBoth(senders, replicas, resolutions));
                    assertThat(answers.keySet()).as("intake answered 202 (stored) or 200 (duplicate), nothing else").isSubsetOf(202, 200);
                    assertThat(answers.get(202)).as("one stored delivery per distinct notification").isEqualTo(GROUPS + RESOLVED);
                } finally {
                    senders.shutdownNow();
                }

                long before = System.nanoTime();
                await().atMost(LEASE.plusSeconds(90)).pollInterval(Duration.ofMillis(250)).until(this::quiet);
                System.out.println("MULTI-REPLICA quiet " + Duration.ofNanos(System.nanoTime() - before).toMillis()
                        + " ms after the last notification was answered");
                assertExactCounts(discord);
                assertThat(discord.sessions()).as("one gateway session at the end").isEqualTo(1);
            } finally {
                for (PackagedApp r : replicas) {
                    r.close();
                }
            }
        }
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

    private void assertExactCounts(FakeDiscord discord) throws SQLException {
        assertThat(count("SELECT COUNT(*) FROM delivery")).isEqualTo(GROUPS + RESOLVED);
        assertThat(count("SELECT COUNT(*) FROM delivery WHERE status = 'processed'")).isEqualTo(GROUPS + RESOLVED);
        assertThat(count("SELECT COUNT(*) FROM incident")).as("one incident per group").isEqualTo(GROUPS);
        assertThat(count("SELECT COUNT(*) FROM report")).as("one diagnosis per incident change").isEqualTo(GROUPS);
        assertThat(count("SELECT COUNT(*) FROM timeline_entry WHERE kind = 'alerts'")).as("one timeline entry per delivery")
                .isEqualTo(GROUPS + RESOLVED);
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

    /** Each notification twice, to two different replicas at once (an HA pair behind a load balancer). */
    private static Map<Integer, Integer> sendBoth(ExecutorService senders, List<PackagedApp> replicas, List<ObjectNode> bodies)
            throws Exception {
        List<Future<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            String json = bodies.get(i).toString();
            for (int copy = 0; copy < 2; copy++) {
                PackagedApp to = replicas.get((i + copy) % replicas.size());
                sent.add(senders.submit(() -> to.post("/api/v1/alerts/alertmanager", json).statusCode()));
            }
        }
        Map<Integer, Integer> answers = new HashMap<>();
        for (Future<Integer> f : sent) {
            answers.merge(f.get(), 1, Integer::sum);
        }
        return answers;
    }

    private static Map<Integer, Integer> merge(Map<Integer, Integer> a, Map<Integer, Integer> b) {
        Map<Integer, Integer> out = new HashMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Integer::sum));
        return out;
    }

    private Map<String, String> config(FakeDiscord discord, boolean clean) {
        Map<String, String> c = new HashMap<>();
        c.put("quarkus.datasource.h2.active", "false");
        c.put("quarkus.datasource.postgresql.active", "true");
        c.put("quarkus.datasource.postgresql.jdbc.url", URL);
        c.put("quarkus.datasource.postgresql.username", "postgres");
        c.put("quarkus.flyway.postgresql.clean-at-start", String.valueOf(clean));
        c.put("quarkus.flyway.postgresql.clean-disabled", "false");
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

    private static void requirePostgres() {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.isValid(2);
        } catch (SQLException e) {
            throw new IllegalStateException("MultiReplicaIT needs PostgreSQL on 127.0.0.1:5432 with database " + DB
                    + " (user postgres, trust on loopback; .ci/run starts it): " + e.getMessage(), e);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
