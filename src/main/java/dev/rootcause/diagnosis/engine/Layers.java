package dev.rootcause.diagnosis.engine;

import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Diagnosis.Check;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.rule.Layer;
import dev.rootcause.rule.Rule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The layered verdict (docs/rules.md, "The layered verdict"): all four layers, outside in, each saying which
 * checks ran (a check is a rule that applied, named by its title) and what each showed, or {@code not checked:
 * <why>}. "Ruled out" is said only of a check whose every step answered and whose every finding was rejected;
 * a layer is "ruled out" only when all its checks are.
 */
final class Layers {

    private static final String RULED_OUT = "ruled out";
    /** How a layer reads when some check ruled its cause out from part of its evidence, or others had no data. */
    static final String NOT_RULED_OUT = "not ruled out: ";
    private static final String NOT_BLAMED = "supported but not blamed (began too long before the alert): ";

    private Layers() {
    }

    /**
     * @param rules      the rules that ran, in order
     * @param evidence   rule id → its steps' evidence
     * @param findings   every finding, ranked
     * @param notBlamed  supported findings {@link Ranking} did not blame
     * @param unselected layer → why no rule of it ran, when the caller knows better than "no rule explains the
     *                   symptom" (e.g. "pod-restarts needs a pod; the alert names none"); may be empty
     */
    static List<Diagnosis.LayerVerdict> of(AlertContext alert, List<Rule> rules, Map<String, Map<String, Evidence>> evidence,
            List<Finding> findings, List<Finding> notBlamed, Map<Layer, String> unselected) {
        List<Diagnosis.LayerVerdict> out = new ArrayList<>();
        for (Layer layer : Layer.values()) { // declared "outside in": network, application, storage, dependency
            List<Rule> in = rules.stream().filter(r -> r.layer() == layer).toList();
            List<String> checked = findings.stream().filter(f -> f.layer() == layer).map(Finding::name).toList();
            if (in.isEmpty()) {
                out.add(new Diagnosis.LayerVerdict(layer, checked, Check.NOT_CHECKED + ": "
                        + unselected.getOrDefault(layer, noRule(alert)), List.of()));
                continue;
            }
            List<Check> checks = in.stream().map(r -> check(r, evidence.getOrDefault(r.id(), Map.of()),
                    findings.stream().filter(f -> f.rule().equals(r.id())).toList(), notBlamed)).toList();
            out.add(new Diagnosis.LayerVerdict(layer, checked, showed(layer, findings, notBlamed, checks), checks));
        }
        return out;
    }

    private static String noRule(AlertContext alert) {
        List<Symptom> symptoms = alert.reading().symptomList();
        return symptoms.isEmpty() ? "no rule of this layer matched the alert"
                : "no rule of this layer explains " + String.join(", ", symptoms.stream().map(String::valueOf).toList());
    }

    private static String showed(Layer layer, List<Finding> findings, List<Finding> notBlamed, List<Check> checks) {
        // the best ranked supported finding of the layer names the cause, as the root cause is chosen
        for (Finding f : findings) {
            if (f.layer() == layer && f.verdict() == Verdict.SUPPORTS && !notBlamed.contains(f)) {
                return "cause found: " + f.cause();
            }
        }
        for (Finding f : findings) {
            if (f.layer() == layer && f.verdict() == Verdict.SUPPORTS) {
                return NOT_BLAMED + f.cause();
            }
        }
        if (checks.stream().allMatch(c -> c.showed().startsWith(Check.NOT_CHECKED))) {
            Set<String> why = new LinkedHashSet<>();
            checks.forEach(c -> why.add(c.showed().substring(Check.NOT_CHECKED.length() + 2)));
            return Check.NOT_CHECKED + ": " + String.join("; ", why);
        }
        if (checks.stream().allMatch(c -> c.showed().equals(RULED_OUT))) {
            return RULED_OUT;
        }
        if (checks.stream().anyMatch(c -> c.showed().startsWith(RULED_OUT))) {
            // a cause ruled out by what answered (no deploy) says nothing of the layer's other causes
            List<String> incomplete = checks.stream().filter(c -> !c.showed().equals(RULED_OUT)).map(Check::title).toList();
            return NOT_RULED_OUT + incomplete.size() + " of " + checks.size() + " check" + (checks.size() == 1 ? "" : "s")
                    + " did not run in full (" + String.join("; ", incomplete) + ")";
        }
        return "no data";
    }

    /** What one rule showed. */
    static Check check(Rule rule, Map<String, Evidence> evidence, List<Finding> findings, List<Finding> notBlamed) {
        Collection<Evidence> steps = evidence.values();
        for (Finding f : findings) {
            if (f.verdict() == Verdict.SUPPORTS) {
                return new Check(rule.id(), rule.title(), (notBlamed.contains(f) ? NOT_BLAMED : "cause found: ") + f.cause());
            }
        }
        boolean answered = steps.stream().anyMatch(e -> e.ok() || e.status() == Evidence.Status.NO_DATA);
        if (!answered) {
            return new Check(rule.id(), rule.title(), Check.NOT_CHECKED + ": "
                    + (steps.isEmpty() ? "the rule has no steps" : why(steps)));
        }
        List<Evidence> missing = steps.stream().filter(e -> !e.ok()).toList();
        if (!findings.isEmpty() && findings.stream().allMatch(f -> f.verdict() == Verdict.RULES_OUT)) {
            if (missing.isEmpty()) {
                return new Check(rule.id(), rule.title(), RULED_OUT);
            }
            List<String> from = steps.stream().filter(Evidence::ok).map(Evidence::step).toList();
            return new Check(rule.id(), rule.title(), RULED_OUT + " from " + String.join(", ", from) + " alone; "
                    + String.join(", ", missing.stream().map(Evidence::step).toList()) + " did not answer (" + why(missing) + ")");
        }
        if (findings.stream().anyMatch(f -> f.verdict() == Verdict.RULES_OUT)) {
            List<String> out = findings.stream().filter(f -> f.verdict() == Verdict.RULES_OUT).map(Finding::id).toList();
            return new Check(rule.id(), rule.title(), RULED_OUT + ": " + String.join(", ", out) + "; no data for the rest ("
                    + why(missing) + ")");
        }
        return new Check(rule.id(), rule.title(), "no data: " + (missing.isEmpty() ? "no finding could be evaluated" : why(missing)));
    }

    /**
     * Why steps did not answer, as specific as their evidence allows: a backend failure first ("prometheus error:
     * connection refused"), then a skip with its own reason (a missing label, the query budget), then a skip
     * because a needed step had no data.
     */
    static String why(Collection<Evidence> steps) {
        for (Evidence e : steps) {
            if (e.status() == Evidence.Status.ERROR || e.status() == Evidence.Status.TIMEOUT) {
                return (e.source() == null ? e.step() : e.source()) + " " + e.status().wire() + ": " + e.reason();
            }
        }
        String needs = null;
        for (Evidence e : steps) {
            if (e.status() == Evidence.Status.SKIPPED || e.status() == Evidence.Status.NO_DATA) {
                if (e.reason() != null && !e.reason().startsWith("needs ")) {
                    return e.step() + " " + e.status().wire() + ": " + e.reason();
                }
                needs = needs != null ? needs : "steps skipped because a step they need did not answer (" + e.reason() + ")";
            }
        }
        return needs != null ? needs : "no step answered";
    }
}
