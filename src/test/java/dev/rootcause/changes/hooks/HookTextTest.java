package dev.rootcause.changes.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.changes.ChangeRequest;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The senders' time formats (GitLab, PagerDuty, RFC 3339) and a bad one naming its field. */
class HookTextTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2021-04-28 21:50:00 +0200|2021-04-28T19:50:00Z",
        "2025-01-15 12:20:00 UTC|2025-01-15T12:20:00Z",
        "2020-07-17T08:42:58.315+0000|2020-07-17T08:42:58.315Z",
        "2019-05-15T15:20:55Z|2019-05-15T15:20:55Z",
        "2024-05-14T10:55:12.5+02:00|2024-05-14T08:55:12.500Z",
    })
    void readsEachSendersTimes(String text, String instant) throws Exception {
        assertThat(HookText.time(JSON.createObjectNode().put("t", text), "t")).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @CsvSource({"yesterday", "2021-04-28", "2021-04-28 21:50:00", "+10000-01-01 00:00:00 +0000", "9999-12-31 23:00:00 -0500"})
    void aTimeWithoutDateTimeOrOffsetIsRefusedNamingTheField(String text) {
        assertThatThrownBy(() -> HookText.time(JSON.createObjectNode().put("status_changed_at", text), "status_changed_at"))
                .isInstanceOf(ChangeRequest.Rejected.class).hasMessageStartingWith("status_changed_at: ");
    }
}
