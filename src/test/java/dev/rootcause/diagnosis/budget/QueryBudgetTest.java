package dev.rootcause.diagnosis.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The part of a diagnosis' query budget set aside for steps that need several queries in a row. */
class QueryBudgetTest {

    private static QueryBudget budget(int limit) {
        return new QueryBudget(limit, Duration.ofSeconds(3), 0, 1, n -> { }, System::nanoTime);
    }

    private static int take(QueryBudget b, boolean reserving, int times) {
        int got = 0;
        try (QueryBudget.Scope scope = b.enter(reserving)) {
            for (int i = 0; i < times; i++) {
                got += b.take() ? 1 : 0;
            }
        }
        return got;
    }

    @Test
    void checksThatStartFirstLeaveWhatIsSetAsideForTheWalk() {
        QueryBudget b = budget(30);
        assertThat(b.reserve(11)).isEqualTo(11);

        assertThat(take(b, false, 25)).as("the one-query checks get the common part only").isEqualTo(19);
        assertThat(take(b, true, 14)).as("the walk gets its 11, nothing beyond the limit").isEqualTo(11);
        assertThat(b.used()).isEqualTo(30);
    }

    @Test
    void aWalkThatNeedsMoreThanItsShareTakesWhatTheOthersLeft() {
        QueryBudget b = budget(30);
        b.reserve(11);
        assertThat(take(b, false, 5)).isEqualTo(5);
        assertThat(take(b, true, 40)).isEqualTo(25);
    }

    @Test
    void atMostHalfTheLimitIsSetAside() {
        QueryBudget b = budget(30);
        assertThat(b.reserve(22)).isEqualTo(15);
        assertThat(take(b, false, 30)).isEqualTo(15);
    }

    @Test
    void withNothingSetAsideEveryStepSharesTheWholeLimit() {
        QueryBudget b = budget(30);
        assertThat(take(b, false, 40)).isEqualTo(30);
    }
}
