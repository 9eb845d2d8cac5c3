package dev.rootcause.alert.reading;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A reader of the identifiers in a PromQL expression: its series selectors (metric name and label matchers),
 * the functions and aggregations around each, and the labels of {@code by (…)} / {@code without (…)} clauses.
 * Not a parser nor an evaluator: it never rejects an expression, it reads what it can. Lexical rules follow
 * the Prometheus documentation "Querying basics" (strings in double, single or back quotes with Go escapes;
 * {@code #} comments to the end of the line; durations such as {@code 1h30m}; subqueries {@code [5m:1m]}).
 *
 * <p>Why not a library: the one Java PromQL parser on Maven Central (io.github.oatelauser:promql-core) has a
 * single release by one author, and the reader needs identifiers, which a tokenizer gives without an AST.
 */
public final class PromQl {

    /** Aggregation operators: they take {@code by}/{@code without} on either side of their parentheses. */
    static final Set<String> AGGREGATIONS = Set.of("sum", "avg", "count", "min", "max", "stddev", "stdvar", "topk",
            "bottomk", "quantile", "count_values", "group", "limitk", "limit_ratio");
    /** Words that are neither metric names nor functions. */
    static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "offset",
            "bool", "and", "or", "unless", "atan2", "inf", "nan");

    /**
     * One label matcher, e.g. {@code code=~"5.."}.
     *
     * @param op one of {@code = != =~ !~}
     */
    public record Matcher(String label, String op, String value) {
        @Override
        public String toString() {
            return label + op + '"' + value.replace("\"", "\\\"") + '"';
        }
    }

    /**
     * One series selector.
     *
     * @param metric    the metric name, or null when the selector names none ({@code {job="x"}}, or a regex
     *                  on {@code __name__})
     * @param matchers  in the order written, {@code __name__} equality folded into {@code metric}
     * @param functions the functions and aggregations it stands in, innermost first, e.g. {@code [rate, sum,
     *                  histogram_quantile]}
     * @param secondary it stands in a divisor ({@code errors / total}) or after {@code and}/{@code unless} (a
     *                  condition on what is alerted on), not in what the alert measures
     */
    public record Selector(String metric, List<Matcher> matchers, List<String> functions, boolean secondary) {
        public Selector {
            matchers = List.copyOf(matchers);
            functions = List.copyOf(functions);
        }

        /** A primary selector. */
        public Selector(String metric, List<Matcher> matchers, List<String> functions) {
            this(metric, matchers, functions, false);
        }
    }

    /**
     * What was read.
     *
     * @param selectors in the order written
     * @param grouping  labels of every {@code by (…)} clause (what the result keeps), in order
     */
    public record Expression(List<Selector> selectors, List<String> grouping) {
        public Expression {
            selectors = List.copyOf(selectors);
            grouping = List.copyOf(grouping);
        }

        /** Every function and aggregation named, in order. */
        public Set<String> functions() {
            Set<String> out = new LinkedHashSet<>();
            selectors.forEach(s -> out.addAll(s.functions()));
            return out;
        }
    }

    /** Whether {@code name} is an aggregation operator ({@code sum}, {@code topk} …): its result keeps only the {@code by} labels. */
    public static boolean isAggregation(String name) {
        return AGGREGATIONS.contains(name);
    }

    private enum Kind { IDENT, STRING, NUMBER, PUNCT }

    private record Token(Kind kind, String text) {
        boolean is(String s) {
            return kind == Kind.PUNCT && text.equals(s);
        }
    }

    private PromQl() {
    }

    /** Reads the selectors, functions and grouping labels of {@code expr}; never fails (null reads as nothing). */
    public static Expression read(String expr) {
        List<Token> tokens = tokens(expr == null ? "" : expr);
        List<Selector> selectors = new ArrayList<>();
        List<String> grouping = new ArrayList<>();
        Deque<String> frames = new ArrayDeque<>(); // innermost first; "" for plain parentheses
        String pendingCall = null; // an aggregation waiting for its parentheses after by/without
        OperandRole secondary = new OperandRole();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            secondary.before(t.is("/"), frames.size());
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (t.kind == Kind.IDENT) {
                String word = t.text;
                String lower = word.toLowerCase(java.util.Locale.ROOT);
                if (next != null && next.is("(") && (lower.equals("by") || lower.equals("without") || lower.equals("on")
                        || lower.equals("ignoring") || lower.equals("group_left") || lower.equals("group_right"))) {
                    int end = closing(tokens, i + 1, "(", ")");
                    if (lower.equals("by")) {
                        for (int j = i + 2; j < end; j++) {
                            if (tokens.get(j).kind != Kind.PUNCT) {
                                grouping.add(tokens.get(j).text);
                            }
                        }
                    }
                    i = end;
                    continue;
                }
                if (KEYWORDS.contains(lower)) {
                    secondary.keyword(lower, frames.size());
                    continue;
                }
                if (next != null && next.is("(")) {
                    pendingCall = word;
                    continue;
                }
                if (AGGREGATIONS.contains(word) && next != null && next.kind == Kind.IDENT
                        && (next.text.equals("by") || next.text.equals("without"))) {
                    pendingCall = word; // sum by (x) (…): the call's parenthesis comes after the clause
                    continue;
                }
                List<Matcher> matchers = List.of();
                if (next != null && next.is("{")) {
                    int end = closing(tokens, i + 1, "{", "}");
                    matchers = matchers(tokens.subList(i + 2, end));
                    i = end;
                }
                selectors.add(selector(word, matchers, frames, secondary.now()));
                secondary.operandEnded(frames.size());
            } else if (t.is("{")) {
                int end = closing(tokens, i, "{", "}");
                List<Matcher> matchers = matchers(tokens.subList(i + 1, end));
                String name = tokens.subList(i + 1, end).stream().filter(x -> x.kind == Kind.STRING).findFirst()
                        .filter(x -> matchers.isEmpty() || !x.text.equals(matchers.get(0).value())).map(Token::text).orElse(null);
                selectors.add(selector(name, matchers, frames, secondary.now()));
                secondary.operandEnded(frames.size());
                i = end;
            } else if (t.is("[")) {
                i = closing(tokens, i, "[", "]"); // a range or subquery: durations only
            } else if (t.is("(")) {
                frames.push(pendingCall == null ? "" : pendingCall);
                pendingCall = null;
            } else if (t.is(")")) {
                if (!frames.isEmpty()) {
                    frames.pop();
                }
                secondary.operandEnded(frames.size());
            } else if (t.kind == Kind.NUMBER) {
                secondary.operandEnded(frames.size());
            }
        }
        return new Expression(selectors, grouping);
    }

    private static Selector selector(String name, List<Matcher> matchers, Deque<String> frames, boolean secondary) {
        String metric = name;
        List<Matcher> rest = new ArrayList<>();
        for (Matcher m : matchers) {
            if (m.label().equals("__name__") && m.op().equals("=") && metric == null) {
                metric = m.value();
            } else {
                rest.add(m);
            }
        }
        return new Selector(metric, rest, frames.stream().filter(f -> !f.isEmpty()).toList(), secondary);
    }

    /** Matchers between braces: {@code label op "value"} separated by commas; a lone string is a quoted metric name. */
    private static List<Matcher> matchers(List<Token> inside) {
        List<Matcher> out = new ArrayList<>();
        for (int j = 0; j + 2 < inside.size(); j++) {
            Token label = inside.get(j);
            Token op = inside.get(j + 1);
            Token value = inside.get(j + 2);
            if ((label.kind == Kind.IDENT || label.kind == Kind.STRING) && op.kind == Kind.PUNCT
                    && Set.of("=", "!=", "=~", "!~").contains(op.text) && value.kind == Kind.STRING) {
                out.add(new Matcher(label.text, op.text, value.text));
                j += 2;
            }
        }
        return out;
    }

    /** The index of the token closing the one at {@code open}, or the last index when it is never closed. */
    private static int closing(List<Token> tokens, int open, String opening, String close) {
        int depth = 0;
        for (int j = open; j < tokens.size(); j++) {
            if (tokens.get(j).is(opening)) {
                depth++;
            } else if (tokens.get(j).is(close) && --depth == 0) {
                return j;
            }
        }
        return tokens.size() - 1;
    }

    private static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                StringBuilder value = new StringBuilder();
                i++;
                while (i < n && s.charAt(i) != c) {
                    if (s.charAt(i) == '\\' && c != '`' && i + 1 < n) {
                        char e = s.charAt(++i);
                        value.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> e; // \" \' \\ and regex escapes such as \. keep the escaped character's meaning
                        });
                        if (e != '"' && e != '\'' && e != '\\' && e != 'n' && e != 't') {
                            value.insert(value.length() - 1, '\\');
                        }
                    } else {
                        value.append(s.charAt(i));
                    }
                    i++;
                }
                i++;
                out.add(new Token(Kind.STRING, value.toString()));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Kind.NUMBER, s.substring(start, i))); // 1.5, 0x1f, 1e3, 5m, 1h30m
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == ':')) {
                    i++;
                }
                out.add(new Token(Kind.IDENT, s.substring(start, i)));
            } else {
                String two = i + 1 < n ? s.substring(i, i + 2) : "";
                if (Set.of("=~", "!~", "!=", "==", "<=", ">=").contains(two)) {
                    out.add(new Token(Kind.PUNCT, two));
                    i += 2;
                } else {
                    out.add(new Token(Kind.PUNCT, String.valueOf(c)));
                    i++;
                }
            }
        }
        return out;
    }
}
