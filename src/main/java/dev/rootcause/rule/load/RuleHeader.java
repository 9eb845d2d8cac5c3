package dev.rootcause.rule.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.alert.reading.Target;
import dev.rootcause.rule.Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * What decides when a rule runs: {@code symptoms:} (what it explains), {@code target:} (the kind of target it
 * needs) and {@code match:} (label matchers: an extra filter, or the only one for a rule that declares no symptoms).
 * docs/rules.md "When a rule runs".
 *
 * @param symptoms the declared symptoms; null when the file has no {@code symptoms:} key
 * @param target   kinds of target, any one of which the rule needs; empty for {@code target: none}
 * @param match    the matchers, all of which must hold
 */
record RuleHeader(List<Symptom> symptoms, List<String> target, List<Matcher> match) {

    /** What {@code target: none} says: the rule needs no target (cluster-wide or node-level checks). */
    static final String NO_TARGET = "none";
    /** The target of a rule that declares symptoms and no {@code target:}. */
    static final List<String> DEFAULT_TARGET = List.of("service");

    /**
     * Reads the header fields of a rule file.
     *
     * @throws dev.rootcause.rule.RuleException for a malformed matcher or symptom, an unknown target kind, or
     *                                          {@code symptoms: []} without {@code match:}
     */
    static RuleHeader read(JsonNode node, RuleNodes nodes) {
        List<Matcher> match = new ArrayList<>();
        for (JsonNode m : nodes.array(node, "match")) {
            try {
                match.add(Matcher.parse(m.asText()));
            } catch (IllegalArgumentException e) {
                throw nodes.source().fail(m.asText(), "match: " + e.getMessage());
            }
        }
        List<Symptom> symptoms = null;
        if (node.hasNonNull("symptoms")) {
            symptoms = new ArrayList<>();
            for (JsonNode s : nodes.array(node, "symptoms")) {
                try {
                    symptoms.add(Symptom.of(s.asText()));
                } catch (IllegalArgumentException e) {
                    throw nodes.source().fail("symptoms:", "symptoms: " + e.getMessage());
                }
            }
            if (symptoms.isEmpty() && match.isEmpty()) {
                throw nodes.source().fail("symptoms:", "symptoms: [] ties the rule to alerts by match: alone, but it has"
                        + " no match: (it would never run on an alert)");
            }
        }
        return new RuleHeader(symptoms, target(node, nodes, symptoms != null), match);
    }

    private static List<String> target(JsonNode node, RuleNodes nodes, boolean declaresSymptoms) {
        JsonNode t = node.get("target");
        if (t == null || t.isNull()) {
            return declaresSymptoms ? DEFAULT_TARGET : List.of();
        }
        List<String> kinds = new ArrayList<>();
        if (t.isArray()) {
            t.forEach(k -> kinds.add(k.asText()));
        } else if (t.isValueNode()) {
            kinds.add(t.asText());
        }
        if (kinds.equals(List.of(NO_TARGET))) {
            return List.of();
        }
        if (kinds.isEmpty()) {
            throw nodes.source().fail("target:", "target: expected one of " + Target.KINDS + ", a list of them, or none");
        }
        for (String kind : kinds) {
            if (!Target.KINDS.contains(kind)) {
                throw nodes.source().fail("target:", "target: expected one of " + Target.KINDS + ", a list of them, or "
                        + NO_TARGET + ", got " + kind);
            }
        }
        return List.copyOf(kinds);
    }
}
