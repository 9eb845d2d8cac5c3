package dev.rootcause.ticket.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.report.ReportOutline;
import dev.rootcause.report.render.jira.JiraRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An issue's description in parts: Jira refuses a text field over 32,767 characters ({@link JiraRenderer#MAX_CHARS};
 * Cloud answers {@code CONTENT_LIMIT_EXCEEDED}, https://jira.atlassian.com/browse/JRACLOUD-78553), so what exceeds it
 * continues in comments, as GitHub's body does. Each part is wiki text (Data Center, a JSON string) or an ADF doc
 * (Cloud) of at most {@link #PART} characters.
 *
 * @param parts the whole report in order: the description, then one comment per further part
 * @param first the description as sent: the first part, opening with the incident page's link when there is one, and
 *              ending with a note when the rest continues in comments
 */
record JiraDescription(List<JsonNode> parts, JsonNode first) {

    /** A part's limit: Jira's, less room for the "continues in comments" note and a comment's heading and marker. */
    static final int PART = JiraRenderer.MAX_CHARS - 400;
    /** The most comments a description's overflow takes; the rest is on the incident page. */
    static final int MAX_OVERFLOW = 10;

    /** @param page the incident page's absolute URL, when {@code rootcause.external-url} is set */
    static JiraDescription of(boolean cloud, ReportOutline outline, Optional<String> page, ObjectMapper json) {
        List<JsonNode> parts = new ArrayList<>();
        if (cloud) {
            parts.addAll(JiraRenderer.adfParts(outline, json, PART));
        } else {
            JiraRenderer.wikiParts(outline, page.map(u -> "[Incident page|" + u + "]\n\n").orElse(""), PART)
                    .forEach(p -> parts.add(json.getNodeFactory().textNode(p)));
        }
        int comments = Math.min(parts.size() - 1, MAX_OVERFLOW);
        String note = parts.size() <= 1 ? null : "(The report is longer than Jira's 32,767-character description: it continues in the "
                + (comments == 1 ? "first comment" : "first " + comments + " comments") + " below.)";
        JsonNode first = parts.isEmpty() ? json.getNodeFactory().textNode("") : parts.get(0).deepCopy();
        if (first.isTextual()) {
            first = json.getNodeFactory().textNode(first.asText() + (note == null ? "" : "\n\n_" + note + "_"));
        } else {
            ArrayNode content = (ArrayNode) first.get("content");
            page.ifPresent(u -> {
                ObjectNode text = json.createObjectNode().put("type", "text").put("text", "Incident page");
                text.putArray("marks").addObject().put("type", "link").putObject("attrs").put("href", u);
                content.insert(0, paragraph(json).set("content", json.createArrayNode().add(text)));
            });
            if (note != null) {
                content.add(text(json, note));
            }
        }
        return new JiraDescription(parts, first);
    }

    /** The body of the comment carrying {@code part}: {@code heading}, the part, the effect's marker. */
    static ObjectNode comment(JsonNode part, String heading, String marker, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        if (part.isTextual()) {
            body.put("body", "*" + heading + "*\n\n" + part.asText() + "\n\n" + marker);
        } else {
            ObjectNode doc = part.deepCopy();
            ArrayNode content = (ArrayNode) doc.get("content");
            content.insert(0, text(json, heading));
            content.add(text(json, marker));
            body.set("body", doc);
        }
        return body;
    }

    private static ObjectNode paragraph(ObjectMapper json) {
        return json.createObjectNode().put("type", "paragraph");
    }

    private static ObjectNode text(ObjectMapper json, String text) {
        ObjectNode p = paragraph(json);
        p.putArray("content").addObject().put("type", "text").put("text", text);
        return p;
    }
}
