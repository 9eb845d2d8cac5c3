package dev.rootcause.diagnosis;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.rootcause.support.WireValues;
import java.util.Locale;

/**
 * What a finding concluded from its evidence. Wire values (JSON, stored reports, rule tests, report text):
 * <ul>
 *   <li>{@code supports}: the finding's condition held, its cause is supported;</li>
 *   <li>{@code rules_out}: the condition did not hold, its cause is ruled out;</li>
 *   <li>{@code no_data}: a step the condition reads did not end ok, so it could not be decided.</li>
 * </ul>
 * Declared in ranking order: supported first, then ruled out, then no data.
 */
public enum Verdict {
    SUPPORTS, RULES_OUT, NO_DATA;

    /** The value in JSON and text: {@code supports}, {@code rules_out} or {@code no_data}. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The wire value, so text built by concatenation reads as before. */
    @Override
    public String toString() {
        return wire();
    }

    /**
     * @throws IllegalArgumentException for any other value, naming the allowed ones
     */
    @JsonCreator
    public static Verdict of(String wire) {
        return WireValues.parse(Verdict.class, "verdict", wire, Verdict::wire);
    }
}
