package dev.rootcause.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks one rule file: required fields, matcher syntax, known step types, {@code needs}
 * and {@code cites} naming existing steps, CEL that compiles, cause placeholders that exist. Every
 * problem is a {@link RuleException} whose message is {@code file:line: message}.
 */
public final class RuleParser {

    /** {@link Layer}'s wire values in its order, for the error message and the schema check. */
    static final Set<String> LAYERS = wires(Layer.values(), Layer::wire);
    /** {@link Confidence}'s wire values in its order. */
    static final Set<String> CONFIDENCES = wires(Confidence.values(), Confidence::wire);

    private final String file;
    private final RuleSource source;
    private final StepTypes stepTypes;
    private final Set<String> globalVars;
    private final ObjectMapper mapper;

    private static final ObjectMapper YAML = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    static final Set<String> RULE_KEYS = Set.of("id", "title", "layer", "match", "ondemand", "vars", "steps", "findings", "runbook",
            "ticket");
    static final Set<String> STEP_KEYS = Set.of("id", "type", "needs", "with", "timeout");
    static final Set<String> FINDING_KEYS = Set.of("id", "when", "cause", "confidence", "cites");

    RuleParser(String file, String text, StepTypes stepTypes, Set<String> globalVars, ObjectMapper mapper) {
        this.file = file;
        this.source = new RuleSource(file, text);
        this.stepTypes = stepTypes;
        this.globalVars = globalVars;
        this.mapper = mapper;
    }

    /**
     * Reads and checks one rule file (the service's loader and the rule-test command).
     *
     * @param name       the file's name as errors should show it
     * @param stepTypes  the step types that may be used
     * @param globalVars names of the variables every rule may use
     * @throws RuleException {@code file:line: message}
     * @throws java.io.IOException when the file cannot be read
     */
    public static Rule parseFile(java.nio.file.Path file, String name, StepTypes stepTypes, Set<String> globalVars)
            throws java.io.IOException {
        String text = java.nio.file.Files.readString(file);
        try {
            return new RuleParser(name, text, stepTypes, globalVars, YAML).parse(YAML.readTree(text));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            throw new RuleException(name + ":" + (at == null ? 1 : at.getLineNr()) + ": " + RuleSource.oneLine(e.getOriginalMessage()));
        }
    }

    Rule parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw source.fail("", "expected a mapping with id, title, match, steps, findings");
        }
        keys(node, RULE_KEYS, "");
        String id = text(node, "id", true);
        String title = text(node, "title", true);
        String layerText = text(node, "layer", false);
        if (layerText != null && !LAYERS.contains(layerText)) {
            throw source.fail("layer:", "layer must be one of " + LAYERS + ", got " + layerText);
        }
        Layer layer = layerText == null ? Layer.APPLICATION : Layer.of(layerText);
        List<Matcher> match = new ArrayList<>();
        for (JsonNode m : array(node, "match")) {
            try {
                match.add(Matcher.parse(m.asText()));
            } catch (IllegalArgumentException e) {
                throw source.fail(m.asText(), "match: " + e.getMessage());
            }
        }
        Map<String, String> vars = new LinkedHashMap<>();
        JsonNode varsNode = node.get("vars");
        if (varsNode != null && varsNode.isObject()) {
            for (var e : varsNode.properties()) {
                compile(e.getValue().asText(), "vars." + e.getKey());
                vars.put(e.getKey(), e.getValue().asText());
            }
        }
        List<Rule.Step> steps = steps(node, vars.keySet());
        Map<String, String> stepIds = new LinkedHashMap<>(); // id -> type
        steps.forEach(s -> stepIds.put(s.id(), s.type()));
        List<Rule.FindingRule> findings = findings(node, stepIds, vars.keySet());
        JsonNode ondemand = node.get("ondemand");
        String ticket = text(node, "ticket", false);
        if (ticket != null && !Rule.TICKET_POLICIES.contains(ticket)) {
            throw source.fail("ticket:", "ticket must be one of " + Rule.TICKET_POLICIES + ", got " + ticket);
        }
        return new Rule(id, title, file, layer, match, ondemand != null && ondemand.asBoolean(), vars, steps,
                findings, text(node, "runbook", false), ticket);
    }

    private List<Rule.Step> steps(JsonNode node, Set<String> vars) {
        List<Rule.Step> steps = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode s : array(node, "steps")) {
            String id = text(s, "id", true);
            if (!ids.add(id)) {
                throw source.fail("id: " + id, "step id " + id + " is used twice");
            }
        }
        for (JsonNode s : array(node, "steps")) {
            String id = text(s, "id", true);
            keys(s, STEP_KEYS, "step " + id + ": ");
            String type = text(s, "type", true);
            if (!stepTypes.names().contains(type)) {
                throw source.fail("type: " + type, "step " + id + ": unknown step type " + type + " (known: "
                        + new java.util.TreeSet<>(stepTypes.names()) + ")");
            }
            List<String> needs = new ArrayList<>();
            for (JsonNode n : array(s, "needs")) {
                if (!ids.contains(n.asText())) {
                    throw source.fail(n.asText(), "step " + id + ": needs " + n.asText() + ", which is not a step of this rule");
                }
                needs.add(n.asText());
            }
            Map<String, Object> with = s.has("with") ? mapper.convertValue(s.get("with"), Map.class) : Map.of();
            try {
                stepTypes.check(type, with);
            } catch (IllegalArgumentException e) {
                throw source.fail("id: " + id, "step " + id + ": with." + e.getMessage());
            }
            for (Object v : with.values()) {
                if (v instanceof String str) {
                    checkPlaceholders(str, vars, "step " + id);
                }
            }
            java.time.Duration timeout = null;
            String t = text(s, "timeout", false);
            if (t != null) {
                try {
                    timeout = Durations.parse(t);
                } catch (IllegalArgumentException e) {
                    throw source.fail("timeout: " + t, "step " + id + ": timeout: " + e.getMessage());
                }
            }
            steps.add(new Rule.Step(id, type, needs, with, timeout));
        }
        List<String> cycle = StepGraph.cycle(steps);
        if (!cycle.isEmpty()) {
            throw source.fail("needs:", "steps " + String.join(" → ", cycle) + " need each other (a cycle)");
        }
        return steps;
    }

    private List<Rule.FindingRule> findings(JsonNode node, Map<String, String> stepIds, Set<String> vars) {
        List<Rule.FindingRule> out = new ArrayList<>();
        for (JsonNode f : array(node, "findings")) {
            String id = text(f, "id", true);
            keys(f, FINDING_KEYS, "finding " + id + ": ");
            String at = "- id: " + id;
            String when = text(f, "when", true);
            compile(when, "finding " + id + ": when", at);
            var stepRef = java.util.regex.Pattern.compile("steps\\.([a-zA-Z_][a-zA-Z0-9_]*)(?:\\.([a-zA-Z_][a-zA-Z0-9_]*))?").matcher(when);
            while (stepRef.find()) {
                if (!stepIds.containsKey(stepRef.group(1))) {
                    throw source.fail(when, at, "finding " + id + ": when refers to steps." + stepRef.group(1) + ", which is not a step");
                }
                checkOutput(stepIds, stepRef.group(1), stepRef.group(2), when, at, "finding " + id + ": when");
            }
            dryRun(when, stepIds, at, "finding " + id + ": when");
            String cause = text(f, "cause", true);
            for (String[] ref : CauseTemplate.references(cause)) {
                boolean known = ref[1] == null ? vars.contains(ref[0]) || globalVars.contains(ref[0]) : stepIds.containsKey(ref[0]);
                if (!known) {
                    throw source.fail(cause, at, "finding " + id + ": cause placeholder {" + ref[0] + (ref[1] == null ? "" : "." + ref[1])
                            + "} names no " + (ref[1] == null ? "var" : "step"));
                }
                if (ref[1] != null) {
                    checkOutput(stepIds, ref[0], ref[1], cause, at, "finding " + id + ": cause");
                }
                if (ref[2] != null && !CauseTemplate.FORMATS.contains(ref[2])) {
                    throw source.fail(cause, at, "finding " + id + ": unknown format |" + ref[2] + " (known: " + CauseTemplate.FORMATS + ")");
                }
            }
            String confidenceText = text(f, "confidence", false);
            confidenceText = confidenceText == null ? Confidence.MEDIUM.wire() : confidenceText;
            if (!CONFIDENCES.contains(confidenceText)) {
                throw source.fail("confidence: " + confidenceText, "finding " + id + ": confidence must be high, medium or low");
            }
            Confidence confidence = Confidence.of(confidenceText);
            List<String> cites = new ArrayList<>();
            for (JsonNode c : array(f, "cites")) {
                if (!stepIds.containsKey(c.asText())) {
                    throw source.fail(c.asText(), "finding " + id + ": cites " + c.asText() + ", which is not a step");
                }
                cites.add(c.asText());
            }
            out.add(new Rule.FindingRule(id, when, cause, confidence, cites));
        }
        return out;
    }

    private void checkPlaceholders(String value, Set<String> vars, String where) {
        var m = java.util.regex.Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)").matcher(value);
        while (m.find()) {
            if (!vars.contains(m.group(1)) && !globalVars.contains(m.group(1))) {
                throw source.fail("$" + m.group(1), where + ": $" + m.group(1) + " is not a var of this rule nor a global var");
            }
        }
    }

    private void compile(String expression, String where) {
        compile(expression, where, "");
    }

    private void compile(String expression, String where, String fallback) {
        try {
            Conditions.compile(expression);
        } catch (IllegalArgumentException e) {
            throw source.fail(expression, fallback, where + ": CEL does not compile: " + RuleSource.oneLine(e.getMessage()));
        }
    }

    private void checkOutput(Map<String, String> stepIds, String step, String value, String needle, String fallback, String where) {
        if (value == null) {
            return;
        }
        Map<String, Object> outputs = stepTypes.outputs(stepIds.get(step));
        if (!outputs.containsKey(value)) {
            throw source.fail(needle, fallback, where + ": step " + step + " (" + stepIds.get(step) + ") has no value " + value
                    + " (it has: " + String.join(", ", new java.util.TreeSet<>(outputs.keySet())) + ")");
        }
    }

    /** Evaluates a condition once with sample values of the right types: type errors show at load. */
    private void dryRun(String when, Map<String, String> stepIds, String fallback, String where) {
        Map<String, Map<String, Object>> sample = new LinkedHashMap<>();
        stepIds.forEach((id, type) -> sample.put(id, stepTypes.outputs(type)));
        Object result;
        try {
            result = Conditions.compile(when).eval(sample, Map.of(), Map.of());
        } catch (Exception e) {
            throw source.fail(when, fallback, where + ": " + RuleSource.oneLine(e.getMessage()));
        }
        if (!(result instanceof Boolean)) {
            throw source.fail(when, fallback, where + ": must be true or false, but gives a " + result.getClass().getSimpleName());
        }
    }

    private void keys(JsonNode node, Set<String> allowed, String where) {
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                throw source.fail(k + ":", where + k + ": unknown key (known: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        });
    }


    private String text(JsonNode node, String field, boolean required) {
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

    private Iterable<JsonNode> array(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw source.fail(field + ":", field + ": expected a list");
        }
        return v;
    }

    private static <E> Set<String> wires(E[] values, java.util.function.Function<E, String> wire) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (E e : values) {
            out.add(wire.apply(e));
        }
        return java.util.Collections.unmodifiableSet(out);
    }
}
