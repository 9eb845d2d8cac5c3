package dev.rootcause.incident.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rootcause.Api;
import dev.rootcause.Payloads;
import dev.rootcause.incident.Delivery;
import dev.rootcause.incident.Notification;
import dev.rootcause.store.Database;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The processor applies the deliveries of a pass together ({@link DeliveryProcessor#applyTogether}); a bad
 * one among them must neither fail nor hold back the others.
 */
@QuarkusTest
class DeliveryProcessorTest {

    @Inject
    Database db;

    @Inject
    DeliveryProcessor processor;

    @Test
    void aBadDeliveryAmongGoodOnesFailsAloneAndTheOthersAreApplied() throws Exception {
        String good1 = Payloads.text(Payloads.unique("alertmanager-firing-2-alerts.json"));
        String good2 = Payloads.text(Payloads.unique("alertmanager-firing-2-alerts.json"));
        // stored by an older version, or corrupted: valid JSON that no longer decodes
        String bad = "{\"status\":\"firing\",\"groupKey\":\"{}:{x=\\\"bad\\\"}\",\"alerts\":[]}";
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false); // one commit: the processor reads all three in one pass
            for (String body : List.of(good1, bad, good2)) {
                ids.add(insertPending(c, body));
            }
            c.commit();
            c.setAutoCommit(true);
        }
        processor.wake();

        await().atMost(Api.DEADLINE).until(() -> status(ids.get(0)).equals("processed") && status(ids.get(2)).equals("processed"));
        await().atMost(Api.DEADLINE).until(() -> attempts(ids.get(1)) >= 1);
        assertThat(status(ids.get(1))).isIn("pending", "failed");
        assertThat(Api.incidentsOfGroup(Payloads.JSON.readTree(good1).get("groupKey").asText())).hasSize(1);
        assertThat(Api.incidentsOfGroup(Payloads.JSON.readTree(good2).get("groupKey").asText())).hasSize(1);
    }

    @Test
    void chunksKeepOrderAndBoundTheirBytes() {
        byte[] small = new byte[100];
        byte[] big = new byte[(int) DeliveryProcessor.CHUNK_BYTES + 1];
        List<Delivery> batch = List.of(d(1, small), d(2, small), d(3, big), d(4, small));
        List<List<Delivery>> chunks = DeliveryProcessor.chunks(batch);
        assertThat(chunks).extracting(ch -> ch.stream().map(Delivery::id).toList())
                .containsExactly(List.of(1L, 2L), List.of(3L), List.of(4L));
    }

    private static Delivery d(long id, byte[] body) {
        return new Delivery(id, "alertmanager", Instant.EPOCH, body, 0);
    }

    /** A row as stored before V14 (the body as text, no body_utf8): such rows are still processed. */
    private static long insertPending(Connection c, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery (source, dedup_key, received_at, alert_count,"
                + " body, status) VALUES ('alertmanager', ?, CURRENT_TIMESTAMP, 1, ?, 'pending')", new String[] {"id"})) {
            ps.setString(1, Notification.sha256(UUID.randomUUID().toString()));
            ps.setString(2, body);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private String status(long id) throws SQLException {
        return (String) row(id).get("status");
    }

    private int attempts(long id) throws SQLException {
        return ((Number) row(id).get("attempts")).intValue();
    }

    private Map<String, Object> row(long id) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT status, attempts FROM delivery WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Map.of("status", rs.getString(1), "attempts", rs.getInt(2));
            }
        }
    }
}
