package dev.rootcause.rule.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.rule.CauseTemplate;
import dev.rootcause.rule.Conditions;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.RuleSource;
import dev.rootcause.rule.StepTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A rule file's {@code findings:}: conditions that compile and give true or false on sample step values, step
 * references and cause placeholders naming steps and values that exist, known confidences, {@code cites} naming steps.
 */
final class FindingsParser {

    static final Set<String> FINDING_KEYS = Set.of("id", "when", "cause", "confidence", "cites", "runbook");
    private static final Pattern STEP_REF = Pattern.compile("steps\\.([a-zA-Z_][a-zA-Z0-9_]*)(?:\\.([a-zA-Z_][a-zA-Z0-9_]*))?");

    private final RuleNodes nodes;
    private final StepTypes stepTypes;
    private final Set<String> globalVars;

    FindingsParser(RuleNodes nodes, StepTypes stepTypes, Set<String> globalVars) {
        this.nodes = nodes;
        this.stepTypes = stepTypes;
        this.globalVars = globalVars;
    }

    /**
     * @param stepIds the rule's step id → type
     * @param vars    the rule's own var names
     * @throws dev.rootcause.rule.RuleException for the first mistake
     */
    List<Rule.FindingRule> parse(JsonNode node, Map<String, String> stepIds, Set<String> vars) {
        List<Rule.FindingRule> out = new ArrayList<>();
        for (JsonNode f : nodes.array(node, "findings")) {
            out.add(finding(f, stepIds, vars));
        }
        return out;
    }

    private Rule.FindingRule finding(JsonNode f, Map<String, String> stepIds, Set<String> vars) {
        RuleSource source = nodes.source();
        String id = nodes.text(f, "id", true);
        nodes.keys(f, FINDING_KEYS, "finding " + id + ": ");
        String at = "- id: " + id;
        String when = nodes.text(f, "when", true);
        compile(when, "finding " + id + ": when", at);
        var stepRef = STEP_REF.matcher(when);
        while (stepRef.find()) {
            if (!stepIds.containsKey(stepRef.group(1))) {
                throw source.fail(when, at, "finding " + id + ": when refers to steps." + stepRef.group(1) + ", which is not a step");
            }
            checkOutput(stepIds, stepRef.group(1), stepRef.group(2), when, at, "finding " + id + ": when");
        }
        dryRun(when, stepIds, at, "finding " + id + ": when");
        String cause = nodes.text(f, "cause", true);
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
        String confidenceText = nodes.text(f, "confidence", false);
        confidenceText = confidenceText == null ? Confidence.MEDIUM.wire() : confidenceText;
        if (!RuleParser.CONFIDENCES.contains(confidenceText)) {
            throw source.fail("confidence: " + confidenceText, "finding " + id + ": confidence must be high, medium or low");
        }
        List<String> cites = new ArrayList<>();
        for (JsonNode c : nodes.array(f, "cites")) {
            if (!stepIds.containsKey(c.asText())) {
                throw source.fail(c.asText(), "finding " + id + ": cites " + c.asText() + ", which is not a step");
            }
            cites.add(c.asText());
        }
        return new Rule.FindingRule(id, when, cause, Confidence.of(confidenceText), cites, nodes.text(f, "runbook", false));
    }

    /**
     * @throws dev.rootcause.rule.RuleException when CEL does not compile the expression
     */
    void compile(String expression, String where, String fallback) {
        try {
            Conditions.compile(expression);
        } catch (IllegalArgumentException e) {
            throw nodes.source().fail(expression, fallback, where + ": CEL does not compile: " + RuleSource.oneLine(e.getMessage()));
        }
    }

    private void checkOutput(Map<String, String> stepIds, String step, String value, String needle, String fallback, String where) {
        if (value == null) {
            return;
        }
        Map<String, Object> outputs = stepTypes.outputs(stepIds.get(step));
        if (!outputs.containsKey(value)) {
            throw nodes.source().fail(needle, fallback, where + ": step " + step + " (" + stepIds.get(step) + ") has no value " + value
                    + " (it has: " + String.join(", ", new TreeSet<>(outputs.keySet())) + ")");
        }
        String renamed = stepTypes.deprecatedOutputs(stepIds.get(step)).get(value);
        if (renamed != null) {
            dev.rootcause.support.Deprecations.warnOnce("step-value:" + stepIds.get(step) + "." + value, where + ": the value " + value
                    + " of " + stepIds.get(step) + " is now called " + renamed + "; " + value + " still works (CHANGELOG.md, Deprecated)");
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
            throw nodes.source().fail(when, fallback, where + ": " + RuleSource.oneLine(e.getMessage()));
        }
        if (!(result instanceof Boolean)) {
            throw nodes.source().fail(when, fallback, where + ": must be true or false, but gives a " + result.getClass().getSimpleName());
        }
    }
}
