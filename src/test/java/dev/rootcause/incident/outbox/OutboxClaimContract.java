package dev.rootcause.incident.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Api;
import dev.rootcause.Payloads;
import dev.rootcause.TestClock;
import dev.rootcause.store.Database;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two dispatchers claiming from one outbox at once (as two replicas on one store) never get the same
 * effect: {@code FOR UPDATE SKIP LOCKED} plus the claim's lease. The service's own dispatcher claims too
 * (a third one); the clock is frozen, so an effect it fails is not due again and every effect must end
 * with exactly one claim. The effects are reports without a report ({@code reportId} null), which the
 * service's dispatcher fails at once without side effects; their idempotency keys start with {@link #PREFIX}.
 */
abstract class OutboxClaimContract {

    static final String KIND = EffectKind.POST_REPORT.wire();
    static final String PREFIX = "test.claim";
    static final int EFFECTS = 300;

    @Inject
    Outbox outbox;
    @Inject
    Database db;
    @Inject
    TestClock clock;

    @AfterEach
    void cleanUp() throws Exception {
        db.update("DELETE FROM outbox WHERE idempotency_key LIKE ?", PREFIX + "/%");
        clock.reset();
    }

    private long unclaimed(String run) throws java.sql.SQLException {
        return db.count("SELECT COUNT(*) FROM outbox WHERE idempotency_key LIKE ? AND claims = 0", PREFIX + "/" + run + "/%");
    }

    /** Whether the store lets two dispatchers hold claims at the same time (PostgreSQL does). */
    protected boolean claimsInParallel() {
        return true;
    }

    private String histogram(String run) throws java.sql.SQLException {
        StringBuilder out = new StringBuilder();
        try (var c = db.connection(); var ps = c.prepareStatement("SELECT claims, status, COUNT(*) FROM outbox WHERE idempotency_key LIKE ?"
                + " GROUP BY claims, status")) {
            ps.setString(1, PREFIX + "/" + run + "/%");
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getInt(1)).append('/').append(rs.getString(2)).append('=').append(rs.getLong(3)).append(' ');
                }
            }
        }
        return out.toString();
    }

    @Test
    void twoDispatchersNeverClaimOneEffectTwice() throws Exception {
        ObjectNode body = Payloads.unique("alertmanager-firing-2-alerts.json");
        Api.post("alertmanager", body.toString()).then().statusCode(202);
        long incident = Api.awaitIncident(body.get("groupKey").asText()).get("id").asLong();
        clock.set(Instant.parse("2026-07-01T00:00:00Z"));
        String run = Long.toString(System.nanoTime());
        for (int i = 0; i < EFFECTS; i++) {
            outbox.enqueue(incident, null, EffectKind.POST_REPORT, PREFIX + "/" + run + "/" + i, null);
        }
        CountDownLatch start = new CountDownLatch(1);
        CyclicBarrier bothHolding = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Callable<List<Long>> dispatcher = () -> {
            List<Long> mine = new ArrayList<>();
            start.await();
            var e = outbox.claim();
            bothHolding.await(30, TimeUnit.SECONDS); // both hold their first claim at the same time
            // a claim lost to another dispatcher comes back empty: go on while unclaimed effects are left
            for (; e.isPresent() || unclaimed(run) > 0; e = outbox.claim()) {
                if (e.isEmpty()) {
                    continue;
                }
                if (e.get().idempotencyKey().startsWith(PREFIX + "/")) {
                    mine.add(e.get().id());
                    assertThat(outbox.markDone(e.get())).as("claim still held").isTrue();
                } else {
                    outbox.defer(e.get(), clock.instant().plusSeconds(3600), "not this test's"); // another test's leftover
                }
            }
            return mine;
        };
        Future<List<Long>> a = pool.submit(dispatcher);
        Future<List<Long>> b = pool.submit(dispatcher);
        start.countDown();
        List<Long> claimedA = a.get(60, TimeUnit.SECONDS);
        List<Long> claimedB = b.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        Set<Long> both = new HashSet<>(claimedA);
        both.retainAll(claimedB);
        assertThat(both).as("effects claimed by both dispatchers").isEmpty();
        if (claimsInParallel()) {
            assertThat(claimedA).as("dispatcher A got work").isNotEmpty();
            assertThat(claimedB).as("dispatcher B got work").isNotEmpty();
        }
        assertThat(db.count("SELECT COUNT(*) FROM outbox WHERE kind = ? AND idempotency_key LIKE ?", KIND, PREFIX + "/" + run + "/%"))
                .isEqualTo(EFFECTS);
        assertThat(db.count("SELECT COUNT(*) FROM outbox WHERE kind = ? AND idempotency_key LIKE ? AND claims <> 1", KIND,
                PREFIX + "/" + run + "/%")).as("effects claimed other than exactly once; A %d, B %d; by claims and status: %s",
                claimedA.size(), claimedB.size(), histogram(run)).isZero();
        long byService = db.count("SELECT COUNT(*) FROM outbox WHERE kind = ? AND idempotency_key LIKE ? AND status = 'pending'",
                KIND, PREFIX + "/" + run + "/%");
        assertThat(claimedA.size() + claimedB.size() + byService).isEqualTo(EFFECTS);
    }
}
