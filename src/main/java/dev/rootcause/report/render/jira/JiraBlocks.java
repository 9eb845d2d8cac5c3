package dev.rootcause.report.render.jira;

import java.util.List;

/**
 * The block structure Jira's two description formats share ({@link WikiBlocks}, {@link AdfBlocks}).
 * Texts are plain; each writer escapes for its format.
 */
public interface JiraBlocks {

    void heading(int level, String text);

    /** A paragraph, with an optional bold lead-in (null for none). */
    void paragraph(String bold, String text);

    void bullets(List<String> items);

    void table(List<String> header, List<List<String>> rows);

    void code(String text);

    void link(String text, String url);
}
