package dev.rootcause.report.render.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Atlassian Document Format (Jira Cloud REST v3): a {@code doc} (version 1) of {@code heading},
 * {@code paragraph}, {@code bulletList}, {@code table}, {@code codeBlock} nodes; text nodes carry
 * {@code strong} and {@code link} marks. Text is data in ADF, so nothing needs escaping.
 */
public final class AdfBlocks implements JiraBlocks {

    private final ObjectMapper json;
    private final ArrayNode content;

    public AdfBlocks(ObjectMapper json) {
        this.json = json;
        this.content = json.createArrayNode();
    }

    @Override
    public void heading(int level, String text) {
        ObjectNode h = node("heading");
        h.putObject("attrs").put("level", level);
        h.putArray("content").add(text(text));
        content.add(h);
    }

    @Override
    public void paragraph(String bold, String text) {
        ObjectNode p = node("paragraph");
        ArrayNode inline = p.putArray("content");
        if (bold != null) {
            ObjectNode b = text(text == null || text.isEmpty() ? bold : bold + " ");
            b.putArray("marks").add(node("strong"));
            inline.add(b);
        }
        if (text != null && !text.isEmpty()) {
            inline.add(text(text));
        }
        content.add(p);
    }

    @Override
    public void bullets(List<String> items) {
        ObjectNode list = node("bulletList");
        ArrayNode entries = list.putArray("content");
        for (String item : items) {
            ObjectNode li = node("listItem");
            li.putArray("content").add(para(item));
            entries.add(li);
        }
        content.add(list);
    }

    @Override
    public void table(List<String> header, List<List<String>> rows) {
        ObjectNode table = node("table");
        ArrayNode trs = table.putArray("content");
        trs.add(row("tableHeader", header));
        rows.forEach(r -> trs.add(row("tableCell", r)));
        content.add(table);
    }

    @Override
    public void code(String text) {
        ObjectNode c = node("codeBlock");
        c.putArray("content").add(text(text));
        content.add(c);
    }

    @Override
    public void link(String text, String url) {
        ObjectNode t = text(text);
        ObjectNode mark = node("link");
        mark.putObject("attrs").put("href", url);
        t.putArray("marks").add(mark);
        ObjectNode p = node("paragraph");
        p.putArray("content").add(t);
        content.add(p);
    }

    /** The document; blocks are dropped from the end, with a note, until its JSON fits {@code maxChars}. */
    public JsonNode doc(int maxChars) {
        ObjectNode doc = json.createObjectNode();
        doc.put("type", "doc");
        doc.put("version", 1);
        ArrayNode blocks = content.deepCopy();
        doc.set("content", blocks);
        if (doc.toString().length() <= maxChars) {
            return doc;
        }
        ObjectNode note = para("(report cut to Jira's " + maxChars + "-character limit)");
        while (blocks.size() > 1 && doc.toString().length() + note.toString().length() + 1 > maxChars) {
            blocks.remove(blocks.size() - 1);
        }
        blocks.add(note);
        return doc;
    }

    /**
     * The document in consecutive {@code doc}s whose JSON stays within {@code maxChars} each, split between blocks;
     * a block too long alone is one doc cut as {@link #doc} cuts. One doc when it fits.
     */
    public List<JsonNode> docs(int maxChars) {
        List<JsonNode> out = new java.util.ArrayList<>();
        ArrayNode part = json.createArrayNode();
        int overhead = "{\"type\":\"doc\",\"version\":1,\"content\":[]}".length();
        int size = overhead;
        for (JsonNode block : content) {
            int len = block.toString().length() + 1;
            if (!part.isEmpty() && size + len > maxChars) {
                out.add(wrap(part, maxChars));
                part = json.createArrayNode();
                size = overhead;
            }
            part.add(block.deepCopy());
            size += len;
        }
        if (!part.isEmpty() || out.isEmpty()) {
            out.add(wrap(part, maxChars));
        }
        return out;
    }

    private JsonNode wrap(ArrayNode blocks, int maxChars) {
        AdfBlocks one = new AdfBlocks(json);
        one.content.addAll(blocks);
        return one.doc(maxChars);
    }

    private ObjectNode row(String cellType, List<String> cells) {
        ObjectNode tr = node("tableRow");
        ArrayNode tds = tr.putArray("content");
        for (String cell : cells) {
            ObjectNode td = node(cellType);
            td.putArray("content").add(para(cell));
            tds.add(td);
        }
        return tr;
    }

    private ObjectNode para(String text) {
        ObjectNode p = node("paragraph");
        ArrayNode inline = p.putArray("content");
        if (text != null && !text.isEmpty()) { // ADF rejects empty text nodes; an empty paragraph is fine
            inline.add(text(text));
        }
        return p;
    }

    private ObjectNode text(String text) {
        ObjectNode t = node("text");
        t.put("text", text == null || text.isEmpty() ? " " : text);
        return t;
    }

    private ObjectNode node(String type) {
        ObjectNode n = json.createObjectNode();
        n.put("type", type);
        return n;
    }
}
