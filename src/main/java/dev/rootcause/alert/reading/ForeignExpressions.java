package dev.rootcause.alert.reading;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Alert expressions of other monitoring systems, read as {@link PromQl.Expression}s so the symptom and target
 * readers treat them like PromQL: metric names ← the system's item keys or metric names, matchers ← host and tags.
 * An intake that is not Prometheus-based puts the native expression in the annotation
 * {@value AlertReader#EXPRESSION_ANNOTATION} and its language in {@value AlertReader#LANGUAGE_ANNOTATION}; the
 * reader uses them when the {@code generatorURL} carries no {@code g0.expr}. One static method per language.
 * Readers, not parsers: they never reject text, they read what they can.
 */
public final class ForeignExpressions {


    private ForeignExpressions() {
    }

    /**
     * @param language {@code zabbix}, {@code datadog} or {@code skywalking} (case-insensitive); others read as nothing
     * @return the expression read, or empty for a language no method reads
     */
    public static Optional<PromQl.Expression> read(String language, String text) {
        if (language == null || text == null) {
            return Optional.empty();
        }
        return switch (language.strip().toLowerCase(Locale.ROOT)) {
            case "zabbix" -> Optional.of(zabbix(text));
            case "datadog" -> Optional.ofNullable(datadog(text));
            case "skywalking" -> Optional.of(skywalking(text));
            default -> Optional.empty();
        };
    }

    /**
     * A Zabbix trigger expression (the syntax of Zabbix 5.4 and later, as 6.0 and 7.0 store and show it in
     * {@code {TRIGGER.EXPRESSION}}; Zabbix manual, "Trigger expression"): every item reference
     * {@code /host/key} inside a function call becomes one selector whose metric is the key's name (the part
     * before {@code [}, e.g. {@code vfs.fs.size}), with matchers {@code host="<host>"} (when the host is named,
     * not {@code *} nor a macro) and {@code key="<whole key>"}, standing in the calls around it (innermost first,
     * e.g. {@code [avg]}; the vocabulary reads {@code nodata} like PromQL's {@code absent}). Filters of aggregate functions
     * ({@code /*}{@code /key?[group="x"]}) are skipped. Pre-5.4 syntax ({@code {host:key.last()}}) is not read.
     */
    public static PromQl.Expression zabbix(String expression) {
        List<PromQl.Selector> out = new ArrayList<>();
        Deque<String> calls = new ArrayDeque<>(); // innermost first; "" for plain parentheses
        String s = expression == null ? "" : expression;
        int n = s.length();
        int i = 0;
        char previous = '(';
        while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
                i = skipQuoted(s, i);
                previous = '"';
                continue;
            }
            if (Character.isLetter(c)) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                int j = i;
                while (j < n && s.charAt(j) == ' ') {
                    j++;
                }
                if (j < n && s.charAt(j) == '(') {
                    calls.push(s.substring(start, i));
                    i = j + 1;
                    previous = '(';
                } else {
                    previous = 'a';
                }
                continue;
            }
            if (c == '(') {
                calls.push("");
            } else if (c == ')') {
                if (!calls.isEmpty()) {
                    calls.pop();
                }
            } else if (c == '/' && (previous == '(' || previous == ',') && !calls.isEmpty()) {
                i = itemReference(s, i, calls, out);
                previous = 'r';
                continue;
            }
            if (!Character.isWhitespace(c)) {
                previous = c;
            }
            i++;
        }
        return new PromQl.Expression(out, List.of());
    }

    /** MQE words that are neither metrics nor functions: sort orders, booleans (SkyWalking MQE, "Sort Operation"). */
    private static final java.util.Set<String> MQE_WORDS = java.util.Set.of("asc", "des", "true", "false");

    /**
     * A SkyWalking Metrics Query Expression (MQE, OAP 9.5 and later; apache/skywalking
     * docs/en/api/metrics-query-expression.md), as an alarm rule's {@code expression} carries it from OAP 10.0 on,
     * e.g. {@code sum(service_sla < 8000) >= 2} or {@code avg(service_percentile{p='99'}) > 1000}: every metric name
     * becomes one selector, its label filter {@code {p='50,99'}} its matchers (one {@code =} per label; several values
     * read as {@code =~"50|99"}), standing in the calls around it (innermost first). The entity (service, endpoint)
     * is not in MQE: the alarm's labels name it. Argument names ({@code p='50'} inside {@code relabels}) and sort
     * words ({@code des}) are not metrics.
     */
    public static PromQl.Expression skywalking(String expression) {
        List<PromQl.Selector> out = new ArrayList<>();
        Deque<String> calls = new ArrayDeque<>();
        String s = expression == null ? "" : expression;
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int close = s.indexOf(c, i + 1);
                i = close < 0 ? n : close + 1;
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                String word = s.substring(start, i);
                int j = i;
                while (j < n && s.charAt(j) == ' ') {
                    j++;
                }
                char next = j < n ? s.charAt(j) : ' ';
                if (next == '(') {
                    calls.push(word);
                    i = j + 1;
                } else if (next == '=' && (j + 1 >= n || s.charAt(j + 1) != '=')) {
                    i = j + 1; // an argument's name
                } else if (!MQE_WORDS.contains(word.toLowerCase(Locale.ROOT))) {
                    List<PromQl.Matcher> matchers = new ArrayList<>();
                    if (next == '{') {
                        int close = s.indexOf('}', j);
                        String body = s.substring(j + 1, close < 0 ? n : close);
                        i = close < 0 ? n : close + 1;
                        for (String part : body.split(",(?=\\s*[A-Za-z_][A-Za-z0-9_]*\\s*=)")) {
                            int eq = part.indexOf('=');
                            if (eq > 0) {
                                String v = part.substring(eq + 1).strip().replaceAll("^['\"]|['\"]$", "");
                                matchers.add(v.contains(",") ? new PromQl.Matcher(part.substring(0, eq).strip(), "=~", v.replace(",", "|"))
                                        : new PromQl.Matcher(part.substring(0, eq).strip(), "=", v));
                            }
                        }
                    }
                    out.add(new PromQl.Selector(word, matchers, calls.stream().toList()));
                }
                continue;
            }
            if (c == '(') {
                calls.push("");
            } else if (c == ')' && !calls.isEmpty()) {
                calls.pop();
            }
            i++;
        }
        List<PromQl.Selector> named = new ArrayList<>();
        for (PromQl.Selector sel : out) {
            named.add(new PromQl.Selector(sel.metric(), sel.matchers(), sel.functions().stream().filter(f -> !f.isEmpty()).toList()));
        }
        return new PromQl.Expression(named, List.of());
    }

    /** Reads {@code /host/key[params]} (and a filter {@code ?[...]}) at {@code i}; answers the index after it. */
    private static int itemReference(String s, int i, Deque<String> calls, List<PromQl.Selector> out) {
        int n = s.length();
        int hostEnd = s.indexOf('/', i + 1);
        if (hostEnd < 0) {
            return n;
        }
        String host = s.substring(i + 1, hostEnd).strip();
        int k = hostEnd + 1;
        int keyStart = k;
        while (k < n && (Character.isLetterOrDigit(s.charAt(k)) || "._-".indexOf(s.charAt(k)) >= 0)) {
            k++;
        }
        String name = s.substring(keyStart, k);
        if (k < n && s.charAt(k) == '[') {
            k = closingBracket(s, k);
        }
        String key = s.substring(keyStart, k);
        if (k + 1 < n && s.charAt(k) == '?' && s.charAt(k + 1) == '[') {
            k = closingBracket(s, k + 1);
        }
        if (!name.isEmpty()) {
            List<PromQl.Matcher> matchers = new ArrayList<>();
            if (!host.isEmpty() && !host.equals("*") && !host.startsWith("{")) {
                matchers.add(new PromQl.Matcher("host", "=", host));
            }
            matchers.add(new PromQl.Matcher("key", "=", key));
            List<String> functions = calls.stream().filter(f -> !f.isEmpty()).toList();
            out.add(new PromQl.Selector(name, matchers, functions));
        }
        return k;
    }

    /** The index after the {@code ]} closing the {@code [} at {@code open}, over nested brackets and quoted text. */
    private static int closingBracket(String s, int open) {
        int depth = 0;
        int i = open;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                i = skipQuoted(s, i);
                continue;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        return s.length();
    }

    /** The index after the quoted string at {@code i} (backslash escapes {@code \"} and {@code \\}). */
    private static int skipQuoted(String s, int i) {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != '"') {
            j += s.charAt(j) == '\\' ? 2 : 1;
        }
        return Math.min(j + 1, s.length());
    }

    /**
     * A Datadog monitor query ({@code $ALERT_QUERY}), read by {@link DatadogQueryReader#read}.
     *
     * @return null when no metric query is found
     */
    public static PromQl.Expression datadog(String text) {
        return DatadogQueryReader.read(text);
    }
}
