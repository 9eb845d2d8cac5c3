package dev.rootcause.rule;

/** A rule file's text, for saying where in it a problem is: {@code file:line: message}. */
public final class RuleSource {

    private final String file;
    private final String text;

    public RuleSource(String file, String text) {
        this.file = file;
        this.text = text;
    }

    /** Folds a parser's multi-line message into one line. */
    public static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\n\\s*", " ").strip();
    }

    /** A problem located at the first line of the file containing {@code needle} (line 1 if none). */
    public RuleException fail(String needle, String message) {
        return fail(needle, "", message);
    }

    /**
     * A problem located at the first line containing {@code needle}, or its first 30 characters (a folded
     * YAML scalar is split over lines), or else {@code fallback} (e.g. the finding's {@code - id:} line).
     */
    public RuleException fail(String needle, String fallback, String message) {
        int line = lineOf(needle);
        if (line == 0 && needle.length() > 30) {
            line = lineOf(needle.substring(0, 30));
        }
        if (line == 0) {
            line = lineOf(fallback);
        }
        return new RuleException(file + ":" + Math.max(line, 1) + ": " + message);
    }

    private int lineOf(String needle) {
        if (needle.isBlank()) {
            return 0;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        return 0;
    }
}
