package dev.rootcause.report.render.jira;

import dev.rootcause.report.TextCut;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Jira wiki markup (Data Center's text renderer): {@code h2.}, {@code ||header||}, {@code {noformat}}, {@code [text|url]}. */
public final class WikiBlocks implements JiraBlocks {

    /** Characters the wiki renderer reads as markup; a backslash makes each literal. */
    private static final Pattern SPECIAL = Pattern.compile("([\\\\{}\\[\\]|*_^~+?!#])");

    private final StringBuilder out = new StringBuilder();

    @Override
    public void heading(int level, String text) {
        out.append('h').append(level).append(". ").append(escape(text)).append("\n\n");
    }

    @Override
    public void paragraph(String bold, String text) {
        if (bold != null) {
            out.append('*').append(escape(bold)).append('*').append(text == null || text.isEmpty() ? "" : " ");
        }
        out.append(escape(text)).append("\n\n");
    }

    @Override
    public void bullets(List<String> items) {
        items.forEach(i -> out.append("* ").append(escape(i)).append('\n'));
        out.append('\n');
    }

    @Override
    public void table(List<String> header, List<List<String>> rows) {
        out.append("||");
        header.forEach(h -> out.append(escape(h)).append("||"));
        out.append('\n');
        for (List<String> row : rows) {
            out.append('|');
            row.forEach(c -> out.append(c == null || c.isBlank() ? " " : escape(c)).append('|'));
            out.append('\n');
        }
        out.append('\n');
    }

    @Override
    public void code(String text) {
        // {noformat} shows its content as typed; only its own closing tag cannot appear inside
        out.append("{noformat}\n").append(text.replace("{noformat}", "{ noformat}")).append("\n{noformat}\n\n");
    }

    @Override
    public void link(String text, String url) {
        out.append('[').append(escape(text)).append('|').append(url.replace("|", "%7C").replace("]", "%5D")).append("]\n\n");
    }

    /** The markup, cut to {@code max} characters with a note (never inside a surrogate pair). */
    public String text(int max) {
        String note = "\n\n_(report cut to Jira's " + max + "-character limit)_";
        return TextCut.cut(out.toString().stripTrailing(), max, note);
    }

    /** {@code lead} and the whole markup in consecutive parts of at most {@code max} characters, split at line breaks. */
    public List<String> parts(String lead, int max) {
        return TextCut.split(lead + out.toString().stripTrailing(), max);
    }

    /** One line of literal text: line breaks become spaces, markup characters are escaped. */
    public static String escape(String text) {
        String line = text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
        return SPECIAL.matcher(line).replaceAll(m -> Matcher.quoteReplacement("\\" + m.group(1)));
    }
}
