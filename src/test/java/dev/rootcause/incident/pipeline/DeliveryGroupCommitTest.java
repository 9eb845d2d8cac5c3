package dev.rootcause.incident.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rootcause.incident.Alert;
import dev.rootcause.incident.Notification;
import dev.rootcause.incident.StoreException;
import dev.rootcause.store.JdbcDeliveryRepository;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit of intake ({@link DeliveryGroupCommit}) on an in-memory H2 with the real schema, the
 * real transaction handling ({@link JdbcDeliveryRepository#committing}) and the real insert
 * ({@link JdbcDeliveryRepository#insert}): concurrent bodies share a commit, no caller is answered
 * before its commit, and a failed commit fails every caller of the batch.
 */
class DeliveryGroupCommitTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private String url;
    private final AtomicInteger commits = new AtomicInteger();
    private final List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean failCommits;
    private final ExecutorService pool = Executors.newFixedThreadPool(64);
    private DeliveryGroupCommit groupCommit;

    /** A fresh database with the real schema; returns its JDBC URL (user {@link #user()}, no password). */
    protected String freshDatabase() {
        String h2 = "jdbc:h2:mem:gc" + System.nanoTime() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(h2, user(), "").locations("db/migration").load().migrate();
        return h2;
    }

    protected String user() {
        return "sa";
    }

    @BeforeEach
    void schema() {
        url = freshDatabase();
    }

    /** Removes what {@link #freshDatabase()} made (an in-memory H2 goes with the JVM). */
    protected void dropDatabase(String url) throws SQLException {
    }

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        if (groupCommit != null) {
            groupCommit.close();
        }
        dropDatabase(url);
    }

    /** Connections that count commits and fail them on demand. */
    private Connection counted() throws SQLException {
        Connection real = DriverManager.getConnection(url, user(), "");
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        if (failCommits) {
                            throw new SQLException("disk full (test)", "53100");
                        }
                        commits.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private DeliveryGroupCommit start(JdbcDeliveryRepository.ConnectionWriter writer) {
        groupCommit = new DeliveryGroupCommit(JdbcDeliveryRepository.committing(this::counted, writer), Duration.ofSeconds(20),
                batchSizes::add);
        return groupCommit;
    }

    private final CountDownLatch firstInsertRunning = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);

    /** The real insert, but the first batch waits for {@link #releaseFirst}: later bodies queue behind it. */
    private JdbcDeliveryRepository.ConnectionWriter holdingTheFirstInsert() {
        AtomicInteger inserts = new AtomicInteger();
        return (c, bodies) -> {
            if (inserts.getAndIncrement() == 0) {
                firstInsertRunning.countDown();
                try {
                    releaseFirst.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted", e);
                }
            }
            return realInsert(c, bodies);
        };
    }

    private static Map<String, Long> realInsert(Connection c, List<DeliveryGroupCommit.Body> bodies) throws SQLException {
        return JdbcDeliveryRepository.insert(c, bodies, NOW);
    }

    private static OptionalLong append(DeliveryGroupCommit gc, Notification n) {
        return gc.append(n, n.dedupKey(), body(n));
    }

    private static Notification notification(String groupKey, String fingerprint) {
        Alert alert = new Alert(fingerprint, Alert.Status.FIRING, Map.of("alertname", "X", "pod", fingerprint), Map.of(),
                NOW.minusSeconds(60), null, null);
        return new Notification("alertmanager", "bot", Alert.Status.FIRING, groupKey, Map.of(), Map.of(), Map.of(), null, 0,
                List.of(alert));
    }

    private static byte[] body(Notification n) {
        return ("{\"groupKey\":\"" + n.groupKey() + "\",\"fp\":\"" + n.alerts().get(0).fingerprint() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the row is visible to another connection, i.e. committed. */
    private boolean committed(long id) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user(), ""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM delivery WHERE id = " + id)) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private long stored() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user(), ""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM delivery")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void concurrentBodiesShareOneCommitAndEachCallerSeesItsRowCommitted() throws Exception {
        DeliveryGroupCommit gc = start(holdingTheFirstInsert());
        List<Future<Boolean>> answers = new ArrayList<>();
        Notification first = notification("{}:{g=\"0\"}", "f0");
        answers.add(pool.submit(() -> committed(append(gc, first).orElseThrow())));
        assertThat(firstInsertRunning.await(20, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 50; i++) {
            Notification n = notification("{}:{g=\"" + i + "\"}", "f" + i);
            // each caller checks, right after its answer, that another connection sees its row
            answers.add(pool.submit(() -> committed(append(gc, n).orElseThrow())));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> gc.queued() == 49);
        assertThat(answers.get(0).isDone()).as("no answer before the commit").isFalse();
        releaseFirst.countDown();
        for (Future<Boolean> a : answers) {
            assertThat(a.get(20, TimeUnit.SECONDS)).as("row committed when its caller is answered").isTrue();
        }
        assertThat(stored()).isEqualTo(50);
        assertThat(commits.get()).as("one commit for the first body, one for the 49 queued behind it").isEqualTo(2);
        assertThat(batchSizes).containsExactly(1, 49);
    }

    @Test
    void aFailedCommitFailsEveryCallerOfTheBatchAndStoresNothing() throws Exception {
        DeliveryGroupCommit gc = start(holdingTheFirstInsert());
        failCommits = true;
        List<Future<OptionalLong>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Notification n = notification("{}:{g=\"" + i + "\"}", "f" + i);
            answers.add(pool.submit(() -> append(gc, n)));
            if (i == 0) {
                assertThat(firstInsertRunning.await(20, TimeUnit.SECONDS)).isTrue();
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> gc.queued() == 19);
        releaseFirst.countDown();
        for (Future<OptionalLong> a : answers) {
            assertThatThrownBy(() -> a.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class)
                    .hasRootCauseInstanceOf(SQLException.class).hasMessageContaining("disk full");
        }
        assertThat(stored()).as("rolled back, nothing acknowledged").isZero();
        assertThat(batchSizes).as("failed commits are not counted").isEmpty();

        failCommits = false; // the store is back: the senders' retries are stored
        Notification retry = notification("{}:{g=\"0\"}", "f0");
        assertThat(append(gc, retry)).isPresent();
        assertThat(stored()).isEqualTo(1);
    }

    @Test
    void copiesInOneBatchAreStoredOnce() throws Exception {
        DeliveryGroupCommit gc = start(holdingTheFirstInsert());
        Notification other = notification("{}:{g=\"other\"}", "o");
        Future<OptionalLong> blocker = pool.submit(() -> append(gc, other));
        assertThat(firstInsertRunning.await(20, TimeUnit.SECONDS)).isTrue();
        Notification n = notification("{}:{g=\"ha\"}", "f");
        List<Future<OptionalLong>> copies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            copies.add(pool.submit(() -> append(gc, n))); // an HA pair and retries, all in one batch
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> gc.queued() == 5);
        releaseFirst.countDown();
        assertThat(blocker.get(20, TimeUnit.SECONDS)).isPresent();
        long stored = 0;
        for (Future<OptionalLong> c : copies) {
            stored += c.get(20, TimeUnit.SECONDS).isPresent() ? 1 : 0;
        }
        assertThat(stored).as("one copy stored, four answered as duplicates").isEqualTo(1);
        assertThat(stored()).isEqualTo(2);
    }

    @Test
    void aCopyStoredConcurrentlyElsewhereIsADuplicateAndTheRestOfTheBatchIsStored() throws Exception {
        Notification raced = notification("{}:{g=\"raced\"}", "r");
        // another replica stores the same delivery after intake's read, before this batch's insert
        DeliveryGroupCommit gc = start((c, bodies) -> {
            if (bodies.stream().anyMatch(b -> b.dedupKey().equals(raced.dedupKey())) && stored() == 1) {
                try (Connection other = DriverManager.getConnection(url, user(), "")) {
                    realInsert(other, List.of(new DeliveryGroupCommit.Body(raced, raced.dedupKey(), body(raced))));
                }
            }
            return realInsert(c, bodies);
        });
        Notification before = notification("{}:{g=\"before\"}", "b");
        assertThat(append(gc, before)).isPresent();
        assertThat(append(gc, raced)).as("the other replica's copy wins").isEmpty();
        Notification after = notification("{}:{g=\"after\"}", "a");
        assertThat(append(gc, after)).isPresent();
        assertThat(stored()).isEqualTo(3);
    }

    @Test
    void anUnreachableStoreFailsTheCallerInsteadOfAcknowledging() {
        groupCommit = new DeliveryGroupCommit(JdbcDeliveryRepository.committing(() -> {
            throw new SQLException("connection refused (test)", "08001");
        }, DeliveryGroupCommitTest::realInsert), Duration.ofSeconds(20));
        Notification n = notification("{}:{g=\"x\"}", "x");
        assertThatThrownBy(() -> append(groupCommit, n)).isInstanceOf(StoreException.class)
                .hasCauseInstanceOf(SQLException.class).hasMessageContaining("connection refused");
    }
}
