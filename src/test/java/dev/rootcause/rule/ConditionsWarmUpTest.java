package dev.rootcause.rule;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The start-up warm-up (issue 23) must run CEL's whole compile-and-evaluate path, or it warms nothing. */
class ConditionsWarmUpTest {

    @Test
    void theWarmUpExpressionCompilesAndEvaluatesToTrue() {
        assertTrue(Conditions.warmUp());
    }
}
