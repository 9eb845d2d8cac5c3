package dev.rootcause.rule.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.rule.Durations;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.StepGraph;
import dev.rootcause.rule.StepTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A rule file's {@code steps:}: unique ids, known step types with good {@code with:} parameters, {@code $var}
 * placeholders naming a var, {@code needs} naming steps of the rule and no cycle among them.
 */
final class StepsParser {

    static final Set<String> STEP_KEYS = Set.of("id", "type", "needs", "with", "timeout");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)");

    private final RuleNodes nodes;
    private final StepTypes stepTypes;
    private final Set<String> globalVars;
    private final ObjectMapper mapper;

    StepsParser(RuleNodes nodes, StepTypes stepTypes, Set<String> globalVars, ObjectMapper mapper) {
        this.nodes = nodes;
        this.stepTypes = stepTypes;
        this.globalVars = globalVars;
        this.mapper = mapper;
    }

    /**
     * @param vars the rule's own var names
     * @throws dev.rootcause.rule.RuleException for the first mistake
     */
    List<Rule.Step> parse(JsonNode node, Set<String> vars) {
        List<Rule.Step> steps = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode s : nodes.array(node, "steps")) {
            String id = nodes.text(s, "id", true);
            if (!ids.add(id)) {
                throw nodes.source().fail("id: " + id, "step id " + id + " is used twice");
            }
        }
        for (JsonNode s : nodes.array(node, "steps")) {
            steps.add(step(s, ids, vars));
        }
        List<String> cycle = StepGraph.cycle(steps);
        if (!cycle.isEmpty()) {
            throw nodes.source().fail("needs:", "steps " + String.join(" → ", cycle) + " need each other (a cycle)");
        }
        return steps;
    }

    private Rule.Step step(JsonNode s, Set<String> ids, Set<String> vars) {
        String id = nodes.text(s, "id", true);
        nodes.keys(s, STEP_KEYS, "step " + id + ": ");
        String type = nodes.text(s, "type", true);
        if (!stepTypes.names().contains(type)) {
            throw nodes.source().fail("type: " + type, "step " + id + ": unknown step type " + type + " (known: "
                    + new TreeSet<>(stepTypes.names()) + ")");
        }
        List<String> needs = new ArrayList<>();
        for (JsonNode n : nodes.array(s, "needs")) {
            if (!ids.contains(n.asText())) {
                throw nodes.source().fail(n.asText(), "step " + id + ": needs " + n.asText() + ", which is not a step of this rule");
            }
            needs.add(n.asText());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> with = s.has("with") ? mapper.convertValue(s.get("with"), Map.class) : Map.of();
        try {
            stepTypes.check(type, with);
        } catch (IllegalArgumentException e) {
            throw nodes.source().fail("id: " + id, "step " + id + ": with." + e.getMessage());
        }
        for (Object v : with.values()) {
            if (v instanceof String str) {
                checkPlaceholders(str, vars, "step " + id);
            }
        }
        Duration timeout = null;
        String t = nodes.text(s, "timeout", false);
        if (t != null) {
            try {
                timeout = Durations.parse(t);
            } catch (IllegalArgumentException e) {
                throw nodes.source().fail("timeout: " + t, "step " + id + ": timeout: " + e.getMessage());
            }
        }
        return new Rule.Step(id, type, needs, with, timeout);
    }

    private void checkPlaceholders(String value, Set<String> vars, String where) {
        var m = PLACEHOLDER.matcher(value);
        while (m.find()) {
            if (!vars.contains(m.group(1)) && !globalVars.contains(m.group(1))) {
                throw nodes.source().fail("$" + m.group(1), where + ": $" + m.group(1) + " is not a var of this rule nor a global var");
            }
        }
    }
}
