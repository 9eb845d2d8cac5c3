package dev.rootcause.source.metrics;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fills {@code $name} placeholders in a PromQL template, escaped for where each stands (docs/rules.md, "Placeholders"):
 * inside a string literal, Go-style quoting of {@code \}, the quote character, newline and control
 * characters; inside the string of a regex matcher ({@code =~}, {@code !~}), regex metacharacters are
 * quoted first. Outside a string only a duration ({@code 5m}) or a number may be placed. Label values come
 * from alerts, that is from outside: nothing is ever concatenated unescaped.
 */
public final class PromQl {

    private static final Pattern BARE_SAFE = Pattern.compile("(\\d+(ms|s|m|h|d|w|y))+|-?\\d+(\\.\\d+)?");
    private static final String REGEX_META = "\\.+*?()|[]{}^$";

    private PromQl() {
    }

    public static String render(String template, Map<String, String> vars) throws MetricsSourceException {
        StringBuilder out = new StringBuilder(template.length() + 32);
        char quote = 0;       // the open string literal's quote character, 0 outside strings
        boolean regex = false; // the open literal is a regex matcher's value
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`' && i + 1 < template.length()) {
                    out.append(c).append(template.charAt(++i));
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                    out.append(c);
                    continue;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                quote = c;
                regex = precededByRegexOperator(out);
                out.append(c);
                continue;
            }
            if (c == '$' && i + 1 < template.length() && isNameStart(template.charAt(i + 1))) {
                int end = i + 1;
                while (end < template.length() && isNamePart(template.charAt(end))) {
                    end++;
                }
                String name = template.substring(i + 1, end);
                String value = vars.get(name);
                if (value == null) {
                    throw new MetricsSourceException(Evidence.Status.ERROR, "query uses $" + name + ", which has no value");
                }
                out.append(place(name, value, quote, regex));
                i = end - 1;
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String place(String name, String value, char quote, boolean regex) throws MetricsSourceException {
        if (quote == 0) {
            if (!BARE_SAFE.matcher(value).matches()) {
                throw new MetricsSourceException(Evidence.Status.ERROR, "$" + name
                        + " stands outside a string literal, where only a duration or number may go; its value is not one");
            }
            return value;
        }
        String text = regex ? quoteRegex(value) : value;
        if (quote == '`') {
            if (text.indexOf('`') >= 0) {
                throw new MetricsSourceException(Evidence.Status.ERROR, "$" + name + " contains a backtick and stands in a raw string");
            }
            return text;
        }
        return escapeString(text, quote);
    }

    /** RE2 quoting: a backslash before every metacharacter. */
    static String quoteRegex(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            if (REGEX_META.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Go string-literal escaping (as strconv.Quote) for a literal quoted with {@code quote}. */
    static String escapeString(String value, char quote) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u0007' -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\u000b' -> out.append("\\v");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean precededByRegexOperator(StringBuilder out) {
        int i = out.length() - 1;
        while (i >= 0 && Character.isWhitespace(out.charAt(i))) {
            i--;
        }
        return i >= 1 && out.charAt(i) == '~' && (out.charAt(i - 1) == '=' || out.charAt(i - 1) == '!');
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
