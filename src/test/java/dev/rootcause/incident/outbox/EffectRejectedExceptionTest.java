package dev.rootcause.incident.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which HTTP answers make an effect dead at once, and which are retried. */
class EffectRejectedExceptionTest {

    @ParameterizedTest(name = "{0} → dead at once: {1}")
    @CsvSource({"400,true", "401,true", "403,true", "404,true", "410,true", "413,true", "422,true",
            "408,false", "409,false", "423,false", "425,false", "429,false", "500,false", "502,false", "503,false", "200,false"})
    void aFourHundredNoRepeatCanPassIsDeadAtOnce(int status, boolean dead) {
        assertThat(EffectRejectedException.cannotSucceed(status)).isEqualTo(dead);
    }
}
