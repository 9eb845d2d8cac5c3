package dev.rootcause.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The years 0000–9999 bound every intake applies to the times it reads. */
class WireTimeTest {

    @ParameterizedTest
    @CsvSource({"0000-01-01T00:00:00Z,0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z,9999-12-31T23:59:59.999999999Z",
        "2024-05-14T10:55:12+02:00,2024-05-14T08:55:12Z"})
    void timesWithinTheYearsAreRead(String text, String instant) {
        assertThat(WireTime.rfc3339(text)).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "+2024-05-14T08:55:12Z",
        "9999-12-31T23:00:00-05:00", "0000-01-01T00:30:00+01:00", "yesterday", ""})
    void timesOutsideTheYearsOrUnreadableAreRefused(String text) {
        assertThatThrownBy(() -> WireTime.rfc3339(text)).isInstanceOf(DateTimeParseException.class);
    }

    @ParameterizedTest
    @ValueSource(longs = {253402300800000L, 99999999999999999L, -62167219200001L})
    void epochMillisOutsideTheYearsHaveAProblemNamingTheYear(long millis) {
        assertThat(WireTime.problem(Instant.ofEpochMilli(millis))).contains("outside 0000-9999");
    }

    @ParameterizedTest
    @ValueSource(longs = {253402300799999L, -62167219200000L, 0L})
    void epochMillisWithinTheYearsHaveNone(long millis) {
        assertThat(WireTime.problem(Instant.ofEpochMilli(millis))).isNull();
    }
}
