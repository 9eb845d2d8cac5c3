package dev.rootcause.incident.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.Payloads;
import dev.rootcause.PostgresIntakeOnlyProfile;
import dev.rootcause.TestClock;
import dev.rootcause.incident.ClaimLostException;
import dev.rootcause.incident.Delivery;
import dev.rootcause.incident.DeliveryRepository;
import dev.rootcause.incident.Notification;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.incident.effect.ChatMessages;
import dev.rootcause.incident.pipeline.IncidentService;
import dev.rootcause.incident.pipeline.NotificationDecoder;
import dev.rootcause.store.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Work is claimed, not read (issue 21), on PostgreSQL: the test plays two replicas on one store (the
 * service's own processing is off). A claim hides rows from the other replica until its lease runs out;
 * then the other takes them over and the first one's late result is refused (fencing by claim token). Only
 * the oldest pending delivery of a group is claimable, so a group's deliveries are applied in order.
 */
@QuarkusTest
@TestProfile(PostgresIntakeOnlyProfile.class)
class ClaimsPostgresTest {

    static final Duration LEASE = Duration.ofSeconds(30);

    @Inject
    DeliveryRepository deliveries;
    @Inject
    ReportRepository reports;
    @Inject
    IncidentService incidents;
    @Inject
    NotificationDecoder decoder;
    @Inject
    ChatMessages chat;
    @Inject
    Database db;
    @Inject
    dev.rootcause.incident.Leadership leadership;
    @Inject
    TestClock clock;

    @BeforeEach
    void freshStore() throws Exception {
        // other tests of this profile may have left pending rows; these tests count claims exactly
        db.update("UPDATE delivery SET status = 'processed' WHERE status = 'pending'");
        clock.set(Instant.parse("2026-12-02T07:00:00Z"));
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void aGroupsSecondDeliveryWaitsForItsFirstAcrossReplicas() throws Exception {
        ObjectNode first = Payloads.unique("alertmanager-firing-2-alerts.json");
        ObjectNode second = Payloads.withStatus(first.deepCopy(), "resolved");
        ObjectNode other = Payloads.unique("alertmanager-firing-2-alerts.json");
        long d1 = store(first);
        long d2 = store(second);
        long d3 = store(other);

        List<Delivery> a = deliveries.claim(50, LEASE);
        assertThat(a).extracting(Delivery::id).containsExactly(d1, d3);
        assertThat(deliveries.claim(50, LEASE)).as("replica B: d1 and d3 are A's, d2 waits behind d1").isEmpty();

        apply(a.get(0));
        List<Delivery> b = deliveries.claim(50, LEASE);
        assertThat(b).extracting(Delivery::id).containsExactly(d2);
        apply(b.get(0));
        apply(a.get(1));
        assertThat(db.count("SELECT COUNT(*) FROM delivery WHERE id IN (?, ?, ?) AND status = 'processed'", d1, d2, d3)).isEqualTo(3);
        long incident = db.count("SELECT incident_id FROM delivery WHERE id = ?", d1);
        assertThat(db.count("SELECT COUNT(*) FROM incident WHERE id = ? AND status = 'resolved'", incident))
                .as("the resolution (d2) was applied after the firing (d1)").isEqualTo(1);
    }

    @Test
    void aDeadReplicasDeliveryIsTakenOverAfterTheLeaseAndItsLateApplyIsRefused() throws Exception {
        long d = store(Payloads.unique("alertmanager-firing-2-alerts.json"));
        Delivery byA = deliveries.claim(50, LEASE).get(0);
        clock.advance(LEASE.minusSeconds(1));
        assertThat(deliveries.claim(50, LEASE)).as("A's lease still runs").isEmpty();
        clock.advance(Duration.ofSeconds(2));
        Delivery byB = deliveries.claim(50, LEASE).get(0);
        assertThat(byB.id()).isEqualTo(d);

        assertThatThrownBy(() -> apply(byA)).isInstanceOf(ClaimLostException.class);
        assertThat(db.count("SELECT COUNT(*) FROM timeline_entry WHERE message LIKE ?", "delivery " + d + ":%")).isZero();
        apply(byB);
        assertThat(db.count("SELECT COUNT(*) FROM timeline_entry WHERE message LIKE ?", "delivery " + d + ":%")).isEqualTo(1);
    }

    @Test
    void aDiagnosisIsClaimedOnceAndANewChangeFencesTheRunningOne() throws Exception {
        long d = store(Payloads.unique("alertmanager-firing-2-alerts.json"));
        apply(deliveries.claim(50, LEASE).get(0));
        long id = db.count("SELECT incident_id FROM delivery WHERE id = ?", d);
        Instant now = clock.instant();
        assertThat(reports.due(100, now)).contains(id);

        assertThat(reports.claimDiagnosis(id, "token-a", now.plus(LEASE), now)).isTrue();
        assertThat(reports.claimDiagnosis(id, "token-b", now.plus(LEASE), now)).as("replica B while A's lease runs").isFalse();
        assertThat(reports.due(100, now)).doesNotContain(id);
        reports.holdDiagnosis(id, "token-a");

        reports.markDue(id); // the incident changed (a reopen, a rediagnose button) while A diagnosed
        assertThatThrownBy(() -> reports.holdDiagnosis(id, "token-a")).isInstanceOf(ClaimLostException.class);
        assertThat(reports.claimDiagnosis(id, "token-b", now.plus(LEASE), now)).isTrue();

        Instant later = now.plus(LEASE).plusSeconds(1); // B died: after its lease, C takes over
        assertThat(reports.claimDiagnosis(id, "token-c", later.plus(LEASE), later)).isTrue();
        assertThatThrownBy(() -> reports.holdDiagnosis(id, "token-b")).isInstanceOf(ClaimLostException.class);
    }

    @Test
    void anInteractionIsTakenByOneReplicaOnly() {
        String id = Long.toString(System.nanoTime());
        assertThat(chat.take(id, clock.instant())).isTrue();
        assertThat(chat.take(id, clock.instant())).as("the copy another gateway session received").isFalse();
    }

    /** The gateway role: one holder at a time; another replica (here a second session) gets it once it is released. */
    @Test
    void aRoleIsHeldByOneReplicaAtATime() throws Exception {
        String role = "test-role-" + System.nanoTime();
        try (java.sql.Connection other = db.connection();
                java.sql.PreparedStatement tryLock = other.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            tryLock.setInt(1, 0x72633231); // AdvisoryLockLeadership.NAMESPACE
            tryLock.setInt(2, fnv1a(role));
            assertThat(leadership.hold(role)).isTrue();
            assertThat(leadership.hold(role)).as("still held: its connection lives").isTrue();
            try (var rs = tryLock.executeQuery()) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("another replica's session").isFalse();
            }
            leadership.release(role);
            try (var rs = tryLock.executeQuery()) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("released: the other replica takes it").isTrue();
            }
            assertThat(leadership.hold(role)).as("now held by the other").isFalse();
            try (java.sql.Statement unlock = other.createStatement()) {
                unlock.execute("SELECT pg_advisory_unlock_all()"); // the pooled connection goes back clean
            }
        }
    }

    private static int fnv1a(String role) {
        int h = 0x811c9dc5;
        for (byte b : role.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x01000193;
        }
        return h;
    }

    private void apply(Delivery d) {
        incidents.apply(d, decoder.decode(d.source(), d.body()));
    }

    /** As intake stores a body (with its group's hash), without the group commit's thread. */
    private long store(ObjectNode body) throws Exception {
        byte[] bytes = Payloads.text(body).getBytes(StandardCharsets.UTF_8);
        Notification n = decoder.decode("alertmanager", bytes);
        return db.count("INSERT INTO delivery (source, dedup_key, received_at, alert_count, body_utf8, group_key_hash, status)"
                + " VALUES ('alertmanager', ?, ?, ?, ?, ?, 'pending') RETURNING id", Notification.sha256(UUID.randomUUID().toString()),
                Database.utc(clock.instant()), n.alerts().size(), bytes, Notification.sha256(n.groupKey()));
    }
}
