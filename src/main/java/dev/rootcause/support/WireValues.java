package dev.rootcause.support;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Parsing for enums that stand for a closed set of text values (their "wire" values: what JSON, the
 * database and rule files hold), so every such enum fails the same way on a value it does not know.
 */
public final class WireValues {

    private WireValues() {
    }

    /**
     * The constant whose wire value is {@code value} (exact, case-sensitive, as stored and sent).
     *
     * @param type  the enum
     * @param what  what the value is, for the error, e.g. {@code verdict}
     * @param wire  a constant's wire value
     * @throws IllegalArgumentException for null or a value no constant has, naming the allowed values in
     *                                  declaration order, e.g. {@code unknown verdict "maybe"; expected one of
     *                                  supports, rules_out, no_data}
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String what, String value, Function<E, String> wire) {
        for (E e : type.getEnumConstants()) {
            if (wire.apply(e).equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + (value == null ? " null" : " \"" + value + '"')
                + "; expected one of " + allowed(type, wire));
    }

    /** The wire values in declaration order, comma-separated: {@code high, medium, low}. */
    public static <E extends Enum<E>> String allowed(Class<E> type, Function<E, String> wire) {
        return Arrays.stream(type.getEnumConstants()).map(wire).collect(Collectors.joining(", "));
    }
}
