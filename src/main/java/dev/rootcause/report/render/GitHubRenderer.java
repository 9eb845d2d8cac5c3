package dev.rootcause.report.render;

import dev.rootcause.report.ReportOutline;
import dev.rootcause.report.TextCut;

/** A report outline as a GitHub issue: the Markdown report within GitHub's limits, which it says when it cuts. */
public final class GitHubRenderer {

    /** GitHub rejects issue bodies over 65,536 characters (REST "Create an issue", 422). */
    public static final int MAX_BODY = 65_536;
    /** GitHub's issue title limit. */
    public static final int MAX_TITLE = 256;

    private GitHubRenderer() {
    }

    /** The issue title: the report's title, at most {@link #MAX_TITLE} characters. */
    public static String title(ReportOutline o) {
        return TextCut.cut(o.title(), MAX_TITLE, "…");
    }

    /**
     * The issue body in GitHub-sized parts: the first is the body, the others go into comments
     * (each at most {@code max} characters, so the caller keeps room for its own lines).
     *
     * @param prefix what the body opens with (the incident page's link), or ""
     * @param max    the limit per part, below {@link #MAX_BODY} by what the caller adds to each part
     */
    public static java.util.List<String> bodyParts(ReportOutline o, String prefix, int max) {
        return TextCut.split(prefix + MarkdownRenderer.render(o), max);
    }

    /** The issue body: the Markdown report, at most {@link #MAX_BODY} characters. */
    public static String body(ReportOutline o) {
        return TextCut.cut(MarkdownRenderer.render(o), MAX_BODY, "\n\n…(report cut to GitHub's 65,536-character limit)");
    }
}
