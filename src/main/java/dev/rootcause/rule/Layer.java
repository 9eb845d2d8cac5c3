package dev.rootcause.rule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.rootcause.support.WireValues;
import java.util.Locale;

/**
 * Where in the stack a rule looks (a rule file's {@code layer:}, default {@code application}). Wire values, in
 * the report's "outside in" order: {@code network} (the path to the service), {@code application} (the
 * service's own code and resources), {@code storage} (its databases and caches), {@code dependency} (services it
 * calls).
 */
public enum Layer {
    NETWORK, APPLICATION, STORAGE, DEPENDENCY;

    /** The value in rule files, JSON and text, e.g. {@code application}. */
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
    public static Layer of(String wire) {
        return WireValues.parse(Layer.class, "layer", wire, Layer::wire);
    }

    /** The allowed values as a rule file spells them: {@code network, application, storage, dependency}. */
    public static String allowed() {
        return WireValues.allowed(Layer.class, Layer::wire);
    }
}
