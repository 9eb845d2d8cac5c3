package dev.rootcause.rule.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.rule.RuleSource;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading the fields of one rule file's YAML tree; every mistake is a {@link dev.rootcause.rule.RuleException}
 * located in the file ({@link RuleSource}).
 */
final class RuleNodes {

    private final RuleSource source;

    RuleNodes(RuleSource source) {
        this.source = source;
    }

    RuleSource source() {
        return source;
    }

    /** Refuses keys outside {@code allowed}, naming the known ones. */
    void keys(JsonNode node, Set<String> allowed, String where) {
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                throw source.fail(k + ":", where + k + ": unknown key (known: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        });
    }

    /** A non-empty scalar, or null when absent and not required. */
    String text(JsonNode node, String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw source.fail(field + ":", field + ": required");
            }
            return null;
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            throw source.fail(field + ":", field + ": expected a non-empty string");
        }
        return v.asText();
    }

    /** A list's items; none when absent. */
    Iterable<JsonNode> array(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw source.fail(field + ":", field + ": expected a list");
        }
        return v;
    }
}
