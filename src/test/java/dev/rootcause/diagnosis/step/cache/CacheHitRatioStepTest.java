package dev.rootcause.diagnosis.step.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a rule may write in a {@code cache.hit_ratio} step, checked at load. */
class CacheHitRatioStepTest {

    private final CacheHitRatioStep step = new CacheHitRatioStep(null);

    @Test
    void acceptsServiceAndAnIntervalUpToAMinute() {
        assertThatCode(() -> step.check(Map.of("service", "$service", "interval", "1m"))).doesNotThrowAnyException();
        assertThatCode(() -> step.check(Map.of("service", "cache-a"))).doesNotThrowAnyException();
    }

    @Test
    void rejectsWhatCannotRun() {
        assertThatThrownBy(() -> step.check(Map.of("service", "$service", "interval", "2m")))
                .hasMessage("interval: at most 1m");
        assertThatThrownBy(() -> step.check(Map.of("interval", "5s"))).hasMessageStartingWith("service: required");
        assertThatThrownBy(() -> step.check(Map.of("service", "x", "query", "INFO"))).hasMessageStartingWith("query: unknown parameter");
        assertThatThrownBy(() -> step.check(Map.of("service", "x", "interval", "soon"))).hasMessageStartingWith("interval: ");
    }

    @Test
    void fillsVarsAndLeavesUnknownOnesAsWritten() {
        assertThat(CacheHitRatioStep.fill("$service", Map.of("service", "cache-a"))).isEqualTo("cache-a");
        assertThat(CacheHitRatioStep.fill("$nope", Map.of())).isEqualTo("$nope");
        assertThat(CacheHitRatioStep.fill("redis-$env", Map.of("env", "prod$1"))).isEqualTo("redis-prod$1");
    }
}
