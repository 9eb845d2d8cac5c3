package dev.rootcause.rule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.rootcause.support.WireValues;
import java.util.Locale;

/**
 * How sure a finding is when its evidence supports it: declared by a rule file's finding
 * ({@code confidence:}, default {@code medium}), carried by the finding and its root cause (lowered from
 * {@code high} to {@code medium} when the cited evidence is of one kind only). Wire values, surest first:
 * {@code high}, {@code medium}, {@code low}.
 */
public enum Confidence {
    HIGH, MEDIUM, LOW;

    /** The value in rule files, JSON, the database and text: {@code high}, {@code medium} or {@code low}. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The wire value, so text built by concatenation ({@code confidence: high}) reads as before. */
    @Override
    public String toString() {
        return wire();
    }

    /**
     * @throws IllegalArgumentException for any other value, naming the allowed ones
     */
    @JsonCreator
    public static Confidence of(String wire) {
        return WireValues.parse(Confidence.class, "confidence", wire, Confidence::wire);
    }
}
