package dev.rootcause.report;

import java.util.Locale;

/**
 * The one way every renderer and adapter shortens text to a limit: on a character boundary (never
 * between the two halves of a surrogate pair, so an emoji is dropped whole rather than halved), and
 * saying what was cut. Lengths are UTF-16 units, as Discord, GitHub and Jira count them.
 */
public final class TextCut {

    private TextCut() {
    }

    /**
     * The text, or its beginning plus a note such as {@code … [cut 1,234 characters]}, at most {@code max}
     * UTF-16 units in all. Used where the reader should know how much is missing (Discord).
     *
     * @param text the text, or null (returned as is)
     * @param max  the limit, in UTF-16 units; below the note's length the note itself is shortened
     */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int keep = max - note(text.length()).length();
        for (int i = 0; i < 3; i++) { // the note's own length depends on the count it states
            keep = max - note(text.length() - keep).length();
        }
        keep = boundary(text, Math.max(0, keep));
        String shown = text.substring(0, keep) + note(text.length() - keep);
        return shown.length() <= max ? shown : boundaryCut(shown, max);
    }

    /**
     * At most {@code max} UTF-16 units, ending with {@code note} when cut, e.g. {@code "…"} for a title or
     * {@code "\n\n…(report cut to GitHub's 65,536-character limit)"} for a body.
     *
     * @param max the target's limit, more than {@code note}'s length
     * @throws IllegalArgumentException when {@code note} does not fit in {@code max}
     */
    public static String cut(String text, int max, String note) {
        if (text == null || text.length() <= max) {
            return text;
        }
        if (note.length() >= max) {
            throw new IllegalArgumentException("a note of " + note.length() + " characters does not fit in " + max);
        }
        return text.substring(0, boundary(text, max - note.length())) + note;
    }

    /**
     * The text in consecutive parts of at most {@code max} UTF-16 units each, in order, joined back
     * together equal to the text: each part ends at the last line break in its window (so a Markdown
     * table row or a code line is not split) or, for a line longer than {@code max}, on a character boundary.
     * Used where the overflow moves on instead of being dropped (a GitHub issue body continued in comments).
     *
     * @param max at least 2 (a surrogate pair must fit)
     * @return one part when the text fits; an empty list for an empty or null text
     * @throws IllegalArgumentException when {@code max} is below 2
     */
    public static java.util.List<String> split(String text, int max) {
        if (max < 2) {
            throw new IllegalArgumentException("max must be at least 2, got " + max);
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        int from = 0;
        int n = text == null ? 0 : text.length();
        while (from < n) {
            int end = Math.min(n, from + max);
            if (end < n) {
                int line = text.lastIndexOf('\n', end - 1);
                end = line >= from ? line + 1 : boundary(text, end);
            }
            parts.add(text.substring(from, end));
            from = end;
        }
        return parts;
    }

    private static String note(int cut) {
        return String.format(Locale.ROOT, "… [cut %,d characters]", cut);
    }

    /** {@code end}, or one less when it would leave half a surrogate pair. */
    private static int boundary(String text, int end) {
        return end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end;
    }

    private static String boundaryCut(String text, int max) {
        return text.substring(0, boundary(text, max));
    }
}
