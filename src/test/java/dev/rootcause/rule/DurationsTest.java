package dev.rootcause.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Prometheus-style durations: sums of parts, and a clear error (never an ArithmeticException) for the absurd. */
class DurationsTest {

    @Test
    void partsAddUp() {
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void tooLongIsAnIllegalArgumentNamingTheText() {
        for (String text : new String[] {"99999999999999999h", "99999999999999999999h", "9223372036854775807w"}) {
            assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("duration \"" + text + "\" is too long to represent");
        }
    }

    @Test
    void zeroAndGarbageAreRefused() {
        assertThatThrownBy(() -> Durations.parse("0h")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"0h\"");
        assertThatThrownBy(() -> Durations.parse("5 minutes")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
