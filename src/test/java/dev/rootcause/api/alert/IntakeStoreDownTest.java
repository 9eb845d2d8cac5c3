package dev.rootcause.api.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.Payloads;
import dev.rootcause.alert.WebhookParser;
import dev.rootcause.incident.Delivery;
import dev.rootcause.incident.DeliveryRepository;
import dev.rootcause.incident.Notification;
import dev.rootcause.incident.StoreException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A store that cannot take the body: intake answers 503 so the sender retries, and acknowledges nothing. */
class IntakeStoreDownTest {

    /** Fails every append as the JDBC repository does when the database is unreachable. */
    private static final class DownStore implements DeliveryRepository {
        @Override
        public OptionalLong append(Notification notification, byte[] body) {
            throw new StoreException(new SQLException("connection refused (test)", "08001"));
        }

        @Override
        public List<Delivery> claim(int limit, java.time.Duration lease) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void lockClaim(Delivery delivery) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void markProcessed(Delivery delivery, long incidentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean markAttemptFailed(Delivery delivery, String error) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long count(String status) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aStoreFailureIsAnswered503WithTheSameBody() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        IntakeResource intake = new IntakeResource(new WebhookParser(new ObjectMapper()), new DownStore(), null, meters);
        byte[] body = Payloads.text(Payloads.unique("alertmanager-firing-2-alerts.json")).getBytes(StandardCharsets.UTF_8);

        Response r = intake.alertmanager("application/json", body);

        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getEntity()).isEqualTo(Map.of("error", "incident store unavailable; retry later"));
        assertThat(meters.counter("rootcause.intake.deliveries", "source", "alertmanager", "outcome", "store_unavailable").count())
                .isEqualTo(1.0);
    }
}
