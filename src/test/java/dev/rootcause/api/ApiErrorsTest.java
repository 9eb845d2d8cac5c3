package dev.rootcause.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.incident.StoreException;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API's catch-all answers: a store failure is a 503 to retry, without the driver's message. */
class ApiErrorsTest {

    @Test
    void aStoreFailureIsA503WithRetryAfterAndNoDriverDetail() {
        Response r = new ApiErrors().storeDown(new StoreException(new SQLException("Connection to db.internal:5432 refused", "08001")));

        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(r.getEntity()).isEqualTo(Map.of("error", "the incident store is unavailable; retry later"));
        assertThat(r.getEntity().toString()).doesNotContain("db.internal");
    }
}
