package dev.rootcause.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A finding's {@code cause} text: literal text with placeholders {@code {name}} or {@code {step.value}},
 * optionally formatted: {@code |pct} (0.034 → "3.4%"), {@code |x} (12.5 → "12.5×"), {@code |num}
 * (3 significant digits), {@code |rate} ("12.3/s"). A value that is missing renders as "n/a".
 */
public final class CauseTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z_][a-zA-Z0-9_]*)(?:\\.([a-zA-Z_][a-zA-Z0-9_]*))?(?:\\|([a-z]+))?}");
    public static final List<String> FORMATS = List.of("pct", "x", "num", "rate");

    private CauseTemplate() {
    }

    /** Placeholder references as {@code [name, value-or-null, format-or-null]}, for validation. */
    public static List<String[]> references(String template) {
        List<String[]> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2), m.group(3)});
        }
        return out;
    }

    /**
     * @param lookup resolves {@code name} or {@code step.value} to a value (String, Number, Boolean) or null
     */
    public static String render(String template, Function<String, Object> lookup) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(2) == null ? m.group(1) : m.group(1) + "." + m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(format(lookup.apply(key), m.group(3))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Formats one value: numbers per {@code format} (null means {@code num}), others as text, null as "n/a". */
    public static String format(Object value, String format) {
        if (value == null) {
            return "n/a";
        }
        if (!(value instanceof Number n)) {
            return String.valueOf(value);
        }
        double d = n.doubleValue();
        if (Double.isNaN(d)) {
            return "n/a";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "∞" : "-∞";
        }
        return switch (format == null ? "num" : format) {
            case "pct" -> significant(d * 100) + "%";
            case "x" -> significant(d) + "×";
            case "rate" -> significant(d) + "/s";
            default -> significant(d);
        };
    }

    /** Three significant digits, no exponent, no trailing zeros: 0.03412 → "0.0341", 1234.5 → "1235". */
    static String significant(double d) {
        if (d == 0) {
            return "0";
        }
        double abs = Math.abs(d);
        int decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : Math.min(10, 2 - (int) Math.floor(Math.log10(abs)));
        String s = String.format(Locale.ROOT, "%." + decimals + "f", d);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    /** Values a lookup can read from a map of step outputs ({@code step -> value -> x}) and vars. */
    public static Function<String, Object> lookup(Map<String, Map<String, Object>> steps, Map<String, String> vars) {
        return key -> {
            int dot = key.indexOf('.');
            if (dot < 0) {
                return vars.get(key);
            }
            Map<String, Object> step = steps.get(key.substring(0, dot));
            return step == null ? null : step.get(key.substring(dot + 1));
        };
    }
}
