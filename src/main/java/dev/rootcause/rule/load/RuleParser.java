package dev.rootcause.rule.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rootcause.alert.reading.Target;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.RuleException;
import dev.rootcause.rule.RuleSource;
import dev.rootcause.rule.StepTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and checks one rule file: required fields, {@code symptoms:} and {@code target:} ({@link RuleHeader}),
 * matcher syntax, known step types, {@code needs} and {@code cites} naming existing steps ({@link StepsParser}), CEL
 * that compiles, cause placeholders that exist ({@link FindingsParser}). Every problem is a {@link RuleException}
 * whose message is {@code file:line: message}.
 */
public final class RuleParser {

    /** {@link Layer}'s wire values in its order, for the error message and the schema check. */
    static final Set<String> LAYERS = wires(Layer.values(), Layer::wire);
    /** {@link Confidence}'s wire values in its order. */
    static final Set<String> CONFIDENCES = wires(Confidence.values(), Confidence::wire);
    static final Set<String> RULE_KEYS = Set.of("id", "title", "layer", "symptoms", "target", "match", "ondemand", "vars",
            "steps", "findings", "runbook", "ticket");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** {@code target.<kind>} in a var: the kind must be one of {@link Target#KINDS}. */
    private static final Pattern TARGET_REF = Pattern.compile("\\btarget\\.([a-zA-Z_][a-zA-Z0-9_]*)");

    private final String file;
    private final RuleNodes nodes;
    private final StepsParser steps;
    private final FindingsParser findings;

    RuleParser(String file, String text, StepTypes stepTypes, Set<String> globalVars, ObjectMapper mapper) {
        this.file = file;
        this.nodes = new RuleNodes(new RuleSource(file, text));
        this.steps = new StepsParser(nodes, stepTypes, globalVars, mapper);
        this.findings = new FindingsParser(nodes, stepTypes, globalVars);
    }

    /**
     * Reads and checks one rule file (the service's loader and the rule-test command).
     *
     * @param name       the file's name as errors should show it
     * @param stepTypes  the step types that may be used
     * @param globalVars names of the variables every rule may use
     * @throws RuleException {@code file:line: message}
     * @throws IOException   when the file cannot be read
     */
    public static Rule parseFile(Path file, String name, StepTypes stepTypes, Set<String> globalVars) throws IOException {
        String text = Files.readString(file);
        try {
            return new RuleParser(name, text, stepTypes, globalVars, YAML).parse(YAML.readTree(text));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new RuleException(name + ":" + (at == null ? 1 : at.getLineNr()) + ": " + RuleSource.oneLine(e.getOriginalMessage()));
        }
    }

    Rule parse(JsonNode node) {
        RuleSource source = nodes.source();
        if (node == null || !node.isObject()) {
            throw source.fail("", "expected a mapping with id, title, symptoms, steps, findings");
        }
        nodes.keys(node, RULE_KEYS, "");
        String id = nodes.text(node, "id", true);
        String title = nodes.text(node, "title", true);
        String layerText = nodes.text(node, "layer", false);
        if (layerText != null && !LAYERS.contains(layerText)) {
            throw source.fail("layer:", "layer must be one of " + LAYERS + ", got " + layerText);
        }
        Layer layer = layerText == null ? Layer.APPLICATION : Layer.of(layerText);
        RuleHeader header = RuleHeader.read(node, nodes);
        Map<String, String> vars = vars(node);
        List<Rule.Step> ruleSteps = steps.parse(node, vars.keySet());
        Map<String, String> stepIds = new LinkedHashMap<>(); // id -> type
        ruleSteps.forEach(s -> stepIds.put(s.id(), s.type()));
        List<Rule.FindingRule> ruleFindings = findings.parse(node, stepIds, vars.keySet());
        JsonNode ondemand = node.get("ondemand");
        String ticket = nodes.text(node, "ticket", false);
        if (ticket != null && !Rule.TICKET_POLICIES.contains(ticket)) {
            throw source.fail("ticket:", "ticket must be one of " + Rule.TICKET_POLICIES + ", got " + ticket);
        }
        return new Rule(id, title, file, layer, header.match(), ondemand != null && ondemand.asBoolean(), vars, ruleSteps,
                ruleFindings, nodes.text(node, "runbook", false), ticket, header.symptoms(), header.target());
    }

    private Map<String, String> vars(JsonNode node) {
        Map<String, String> vars = new LinkedHashMap<>();
        JsonNode varsNode = node.get("vars");
        if (varsNode != null && varsNode.isObject()) {
            for (var e : varsNode.properties()) {
                String expression = e.getValue().asText();
                findings.compile(expression, "vars." + e.getKey(), "");
                var ref = TARGET_REF.matcher(expression);
                while (ref.find()) {
                    if (!Target.KINDS.contains(ref.group(1))) {
                        throw nodes.source().fail(expression, "vars." + e.getKey() + ": target." + ref.group(1)
                                + " is not a kind of target (known: " + String.join(", ", Target.KINDS) + ")");
                    }
                }
                vars.put(e.getKey(), expression);
            }
        }
        return vars;
    }

    private static <E> Set<String> wires(E[] values, Function<E, String> wire) {
        Set<String> out = new LinkedHashSet<>();
        for (E e : values) {
            out.add(wire.apply(e));
        }
        return Collections.unmodifiableSet(out);
    }
}
