package dev.rootcause.diagnosis.engine;

import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.alert.reading.Target;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.rule.Layer;
import dev.rootcause.rule.Rule;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which rules run on an alert (docs/rules.md "When a rule runs"):
 * <ul>
 *   <li>a rule's {@code match:} matchers, when it has any, must all hold for the alert's labels;</li>
 *   <li>a rule with {@code symptoms: [..]} runs when it explains one of the symptoms the alert was read to have
 *       ({@code saturation} explains {@code saturation.cpu}); {@code symptoms: []} ties it to its matchers alone; a
 *       rule with no {@code symptoms:} (an older one) is selected by its matchers alone;</li>
 *   <li>and the alert must name a target of a kind the rule needs ({@code target:}). A rule that would run but for
 *       its target does not run, and the diagnosis says so in one line ({@link #notRun()}).</li>
 * </ul>
 *
 * @param rules  the rules to run, in rule-set order
 * @param notRun one line per rule whose symptom and matchers fit but whose target the alert does not name, e.g.
 *               {@code not run: cpu-throttling needs a service or pod; the alert names none}
 * @param unselectedLayers layer → the same reasons for the rules of that layer, for its {@code not checked: <why>}
 */
public record RuleSelection(List<Rule> rules, List<String> notRun, Map<Layer, String> unselectedLayers) {

    public RuleSelection {
        rules = List.copyOf(rules);
        notRun = List.copyOf(notRun);
        unselectedLayers = Map.copyOf(unselectedLayers);
    }

    /** A selection whose held-back rules are not told per layer. */
    public RuleSelection(List<Rule> rules, List<String> notRun) {
        this(rules, notRun, Map.of());
    }

    /** The rules of {@code ruleSet} that run on {@code alert}, and those held back for want of a target. */
    public static RuleSelection of(List<Rule> ruleSet, AlertContext alert) {
        Target target = CelAlert.selectionTarget(alert);
        List<Rule> run = new ArrayList<>();
        List<String> notRun = new ArrayList<>();
        // layer → the held-back rules' reasons, said as that layer's "not checked: <why>" when nothing of it ran
        Map<Layer, List<String>> heldBack = new EnumMap<>(Layer.class);
        for (Rule rule : ruleSet) {
            if (!rule.matches(alert.labels())) {
                continue;
            }
            if (rule.declaresSymptoms() && !rule.symptoms().isEmpty() && !rule.explains(alert.reading())) {
                continue;
            }
            if (rule.hasTargetIn(target)) {
                run.add(rule);
            } else {
                String line = notRunLine(rule, alert, target);
                notRun.add(line);
                heldBack.computeIfAbsent(rule.layer() == null ? Layer.APPLICATION : rule.layer(), k -> new ArrayList<>())
                        .add(line.substring("not run: ".length()));
            }
        }
        Map<Layer, String> unselected = new EnumMap<>(Layer.class);
        heldBack.forEach((layer, lines) -> unselected.put(layer, String.join("; ", lines)));
        return new RuleSelection(run, notRun, unselected);
    }

    private static String notRunLine(Rule rule, AlertContext alert, Target target) {
        String needs = rule.target().stream().map(k -> article(k) + k).collect(Collectors.joining(" or "));
        String names;
        if (target.isEmpty()) {
            String why = alert.reading().noTarget();
            names = "the alert names none" + (why == null || alert.reading() == AlertReading.NOTHING
                    ? "" : " (" + why + ")");
        } else {
            names = "the alert names only " + target.ordered().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
        return "not run: " + rule.id() + " needs " + needs + "; " + names;
    }

    private static String article(String kind) {
        return "aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ";
    }
}
