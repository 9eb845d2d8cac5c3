package dev.rootcause.rule;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An Alertmanager label matcher: {@code name="value"}, {@code !=}, {@code =~} and {@code !~}. Regexes are
 * anchored at both ends, as in Alertmanager. A missing label matches as the empty string.
 */
public record Matcher(String name, String op, String value, Pattern regex) {

    private static final Pattern SYNTAX = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(.*?)\\s*");

    /**
     * Parses one matcher.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static Matcher parse(String text) {
        var m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a matcher (label=\"value\", !=, =~, !~): " + text);
        }
        String value = unquote(m.group(3));
        String op = m.group(2);
        Pattern regex = null;
        if (op.endsWith("~")) {
            try {
                regex = Pattern.compile("^(?:" + value + ")$");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regex in " + text + ": " + e.getDescription());
            }
        }
        return new Matcher(m.group(1), op, value, regex);
    }

    public boolean matches(Map<String, String> labels) {
        String v = labels.getOrDefault(name, "");
        return switch (op) {
            case "=" -> v.equals(value);
            case "!=" -> !v.equals(value);
            case "=~" -> regex.matcher(v).matches();
            default -> !regex.matcher(v).matches();
        };
    }

    private static String unquote(String raw) {
        if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < raw.length() - 1; i++) {
                char c = raw.charAt(i);
                if (c == '\\' && i + 1 < raw.length() - 1) {
                    char n = raw.charAt(++i);
                    out.append(switch (n) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> n;
                    });
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
        return raw;
    }

    @Override
    public String toString() {
        return name + op + '"' + value + '"';
    }
}
