package dev.rootcause.alert.reading;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an alert is about, as far as its labels, its expression and the service catalogue tell.
 *
 * @param values kind → value, kinds among {@link #KINDS}, e.g. {@code service: checkout, namespace: shop}
 * @param from   kind → where the value was found, e.g. {@code service: label application}, {@code service:
 *               expression matcher job="checkout"}, {@code service: catalogue labels of checkout}
 */
public record Target(Map<String, String> values, Map<String, String> from) {

    /** The kinds of target, from the most to the least specific to a service. */
    public static final List<String> KINDS = List.of("service", "pod", "container", "namespace", "node", "instance");

    /** No target at all. */
    public static final Target NONE = new Target(Map.of(), Map.of());

    /**
     * @throws IllegalArgumentException for a kind outside {@link #KINDS} or a blank value
     */
    public Target {
        values = Map.copyOf(values);
        from = Map.copyOf(from);
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!KINDS.contains(e.getKey())) {
                throw new IllegalArgumentException("target kind '" + e.getKey() + "': expected one of " + KINDS);
            }
            if (e.getValue().isBlank()) {
                throw new IllegalArgumentException("target " + e.getKey() + ": blank value");
            }
        }
    }

    /** True when the alert names this kind of target ({@code service}, {@code pod}, …). */
    public boolean has(String kind) {
        return values.containsKey(kind);
    }

    /** The value of this kind, or null. */
    public String get(String kind) {
        return values.get(kind);
    }

    /** True when nothing names a target. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Kind → value in {@link #KINDS} order, for CEL ({@code target.service}) and for people. */
    public Map<String, String> ordered() {
        Map<String, String> out = new LinkedHashMap<>();
        KINDS.stream().filter(values::containsKey).forEach(k -> out.put(k, values.get(k)));
        return out;
    }

    /** A target with this kind set, found as {@code how}. */
    public Target with(String kind, String value, String how) {
        Objects.requireNonNull(how, "how");
        Map<String, String> v = new LinkedHashMap<>(values);
        Map<String, String> f = new LinkedHashMap<>(from);
        v.put(kind, value);
        f.put(kind, how);
        return new Target(v, f);
    }
}
