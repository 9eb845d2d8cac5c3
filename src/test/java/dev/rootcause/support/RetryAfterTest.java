package dev.rootcause.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {

    /** Sunday 1 March 2026, 10:00:00 UTC. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', nullValues = "absent", textBlock = """
            3                              | PT3S
            '  120 '                       | PT2M
            0                              | PT0S
            0007                           | PT7S
            99999999999999999999999        | PT277777H46M39S
            Sun, 01 Mar 2026 10:00:07 GMT  | PT7S
            Sun, 01 Mar 2026 09:59:00 GMT  | PT0S
            Sun, 1 Mar 2026 10:01:00 GMT   | PT1M
            Sunday, 01-Mar-26 10:00:30 GMT | PT30S
            Sunday, 06-Nov-94 08:49:37 GMT | PT0S
            Monday, 06-Nov-94 08:49:37 GMT | absent
            Sun Mar  1 10:00:05 2026       | PT5S
            Sun Mar 1 10:00:05 2026        | absent
            -5                             | absent
            1.5                            | absent
            soon                           | absent
            2026-03-01T10:00:07Z           | absent
            ''                             | absent
            '   '                          | absent
            absent                         | absent
            """)
    void readsSecondsAndDates(String header, String expected) {
        Optional<Duration> wait = RetryAfter.parse(header, CLOCK);
        assertThat(wait).isEqualTo(Optional.ofNullable(expected).map(Duration::parse));
    }
}
