package dev.rootcause.source.logs;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.SourceException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code $name} placeholders in a LogQL template (docs/rules.md, "Placeholders"). A value may stand only inside a
 * string literal: in a double-quoted one it is escaped the Go way ({@code \}, {@code "}, newline,
 * control characters), after quoting regex metacharacters when the literal follows {@code =~},
 * {@code !~} or {@code |~}; in a backtick (raw) literal a value with a backtick is refused. Outside
 * literals only a duration or a number may be placed. Label values come from alerts: from outside.
 */
public final class LogQl {

    private static final Pattern NAME = Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)");
    private static final Pattern BARE = Pattern.compile("\\d+(?:ms|s|m|h|d|w)|-?\\d+(?:\\.\\d+)?");

    private LogQl() {
    }

    public static String render(String template, Map<String, String> vars) throws SourceException {
        StringBuilder out = new StringBuilder();
        char open = 0; // the quote of the literal we are in, 0 outside
        boolean regex = false;
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (open == '"' && c == '\\' && i + 1 < template.length()) {
                out.append(c).append(template.charAt(i + 1));
                i += 2;
                continue;
            }
            if (open != 0 && c == open) {
                open = 0;
            } else if (open == 0 && (c == '"' || c == '`')) {
                open = c;
                String before = out.toString().stripTrailing();
                regex = before.endsWith("=~") || before.endsWith("!~") || before.endsWith("|~");
            } else if (c == '$') {
                Matcher m = NAME.matcher(template).region(i, template.length());
                if (m.lookingAt()) {
                    String name = m.group(1);
                    String value = vars.get(name);
                    if (value == null) {
                        throw new SourceException(Evidence.Status.ERROR, "query uses $" + name + ", which has no value");
                    }
                    out.append(place(name, value, open, regex));
                    i = m.end();
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String place(String name, String value, char open, boolean regex) throws SourceException {
        String v = regex ? quoteRegex(value) : value;
        if (open == '"') {
            return goEscape(v);
        }
        if (open == '`') {
            if (v.indexOf('`') >= 0) {
                throw new SourceException(Evidence.Status.ERROR, "$" + name + " contains a backtick and stands in a raw string");
            }
            return v;
        }
        if (!BARE.matcher(value).matches()) {
            throw new SourceException(Evidence.Status.ERROR, "$" + name + " stands outside a string literal and is not a duration"
                    + " or a number");
        }
        return value;
    }

    private static String quoteRegex(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String goEscape(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }
}
