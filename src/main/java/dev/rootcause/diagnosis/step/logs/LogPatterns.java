package dev.rootcause.diagnosis.step.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.port.LogSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Groups log lines into patterns: the message (a JSON line's {@code msg}/{@code message}, a logfmt line's
 * {@code msg=}, else the first line of the text) with its variable parts replaced — UUIDs by {@code <uuid>}, IPv4/IPv6 addresses by
 * {@code <ip>}, timestamps by {@code <ts>}, hex ids by {@code <hex>}, numbers by {@code <num>} — so
 * "Cache miss for key 123" and "Cache miss for key 456" are one pattern.
 */
public final class LogPatterns {

    private static final ObjectMapper JSON = new ObjectMapper();
    // order matters: the wider shapes first, so a UUID is not taken for hex and numbers
    private static final Pattern UUID = Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern TIMESTAMP = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?");
    private static final Pattern IPV4 = Pattern.compile("\\b(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?\\b");
    // full form, or compressed with "::" (so clock times like 10:00:00 are not taken for addresses)
    private static final Pattern IPV6 = Pattern.compile("(?<![\\w:])(?:(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}"
            + "|(?:[0-9a-fA-F]{1,4}:){1,6}(?::[0-9a-fA-F]{1,4}){1,6})(?![\\w:])");
    private static final Pattern HEX = Pattern.compile("\\b(?:0x[0-9a-fA-F]+|(?=[0-9a-fA-F]*\\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,})\\b");
    private static final Pattern LOGFMT_MSG = Pattern.compile("(?:^|\\s)(?:msg|message)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+))");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])[-+]?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?(?:ms|s|m|h|KB|MB|GB|B)?(?![\\w.])|(?<=[_:#=/-])\\d+\\b");

    /**
     * One pattern.
     *
     * @param pattern the normalised message
     * @param count   lines that have it
     * @param example the first (newest) line that has it, as it was
     * @param by      the most common value of the {@code by} label or field among its lines, or null
     * @param byCount lines with that value
     */
    public record Group(String pattern, int count, String example, String by, int byCount) {
    }

    private LogPatterns() {
    }

    /** The normalised message of one line. */
    public static String normalise(String line) {
        String text = line.strip();
        return placeholders(message(text, text.startsWith("{") ? parse(text) : null));
    }

    private static String placeholders(String message) {
        String m = message;
        if (m.chars().noneMatch(Character::isDigit) && m.indexOf("::") < 0) {
            return m.strip(); // nothing variable to replace: skip the regexes (most of the cost)
        }
        if (m.indexOf('-') >= 0) {
            m = UUID.matcher(m).replaceAll("<uuid>");
            m = TIMESTAMP.matcher(m).replaceAll("<ts>");
        }
        if (m.indexOf('.') >= 0) {
            m = IPV4.matcher(m).replaceAll("<ip>");
        }
        if (m.indexOf(':') >= 0) {
            m = IPV6.matcher(m).replaceAll("<ip>");
        }
        m = HEX.matcher(m).replaceAll("<hex>");
        m = NUMBER.matcher(m).replaceAll("<num>");
        return m.strip();
    }

    /**
     * @param by a stream label or JSON field whose most common value per pattern is reported (e.g. the
     *           client that sends a key), or null
     * @return the {@code top} largest patterns, most lines first (ties: the pattern seen first)
     */
    public static List<Group> top(List<LogSource.Line> lines, int top, String by) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, String> examples = new HashMap<>();
        Map<String, Map<String, Integer>> byValues = new HashMap<>();
        for (LogSource.Line line : lines) {
            String text = line.text().strip();
            JsonNode json = text.startsWith("{") ? parse(text) : null; // parsed once per line
            String p = placeholders(message(text, json));
            counts.computeIfAbsent(p, k -> new int[1])[0]++;
            examples.putIfAbsent(p, line.text());
            if (by != null) {
                String v = value(line, text, json, by);
                if (v != null) {
                    byValues.computeIfAbsent(p, k -> new HashMap<>()).merge(v, 1, Integer::sum);
                }
            }
        }
        List<String> order = new ArrayList<>(counts.keySet());
        order.sort(Comparator.comparingInt((String p) -> -counts.get(p)[0]));
        List<Group> out = new ArrayList<>();
        for (String p : order.subList(0, Math.min(top, order.size()))) {
            Map.Entry<String, Integer> most = byValues.getOrDefault(p, Map.of()).entrySet().stream()
                    .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                    .orElse(null);
            out.add(new Group(p, counts.get(p)[0], examples.get(p), most == null ? null : most.getKey(),
                    most == null ? 0 : most.getValue()));
        }
        return out;
    }

    private static String message(String text, JsonNode json) {
        if (json != null) {
            for (String k : List.of("msg", "message", "log", "error")) {
                if (json.hasNonNull(k) && json.get(k).isTextual()) {
                    return json.get(k).asText();
                }
            }
        }
        int nl = text.indexOf('\n');
        String first = nl < 0 ? text : text.substring(0, nl);
        var logfmt = LOGFMT_MSG.matcher(first); // logfmt: the msg=... pair
        return logfmt.find() ? (logfmt.group(1) != null ? logfmt.group(1) : logfmt.group(2)) : first;
    }

    /** A stream label, else a top-level JSON field, else a logfmt {@code key=value} pair; null when absent. */
    private static String value(LogSource.Line line, String text, JsonNode json, String key) {
        if (line.labels().containsKey(key)) {
            return line.labels().get(key);
        }
        if (json != null) {
            return json.hasNonNull(key) ? json.get(key).asText() : null;
        }
        var m = Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(\"[^\"]*\"|\\S+)").matcher(text);
        return m.find() ? m.group(1).replace("\"", "") : null;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception notJson) {
            return null;
        }
    }
}
