package dev.rootcause.rule.load;

import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.rule.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * What is allowed in a rule file but likely a mistake, as {@code file: message} lines the loader logs once per
 * file per load and lists beside the errors ({@code GET /api/v1/rules}); the rule still loads and runs.
 */
public final class RuleWarnings {

    /**
     * The symptoms the alert reader knows out of the box (issue 17; docs/rules.md). An operator may add others to
     * the symptom vocabulary; a rule naming one that is in neither is refused ({@link #unreadable}).
     */
    public static final List<String> KNOWN_SYMPTOMS = List.of("errors", "latency", "availability", "saturation",
            "saturation.cpu", "saturation.memory", "saturation.threads", "saturation.connections", "gc", "restarts",
            "disk", "certificate", "network", "cache", "queue");

    private RuleWarnings() {
    }

    /** The warnings about one loaded rule; empty when there are none. */
    public static List<String> of(Rule rule) {
        List<String> out = new ArrayList<>();
        if (!rule.declaresSymptoms()) {
            out.add(rule.file() + ": rule " + rule.id() + " declares no symptoms: it runs only for alerts its match: "
                    + "selects, by name, not for every alert of its symptom. Declare what it explains, e.g. "
                    + "symptoms: [latency, errors] (docs/rules.md \"When a rule runs\"; symptoms: [] keeps it tied to "
                    + "match: alone without this warning)");
        }
        return out;
    }

    /**
     * The mistake of a rule naming a symptom no alert can be read as: neither one of {@link #KNOWN_SYMPTOMS} nor one
     * the symptom vocabulary in force reads ({@code readable}). Such a rule would never run, so its file is refused
     * and its last good version stays in force.
     *
     * @param line the line of its {@code symptoms:} key
     * @return {@code file:line: message}, or empty when every symptom can be read
     */
    public static java.util.Optional<String> unreadable(Rule rule, java.util.Set<String> readable, int line) {
        if (!rule.declaresSymptoms()) {
            return java.util.Optional.empty();
        }
        List<String> unknown = rule.symptoms().stream().map(Symptom::name)
                .filter(s -> !KNOWN_SYMPTOMS.contains(s) && !readable.contains(s)).toList();
        return unknown.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(rule.file() + ":" + line + ": rule " + rule.id()
                + ": symptom " + String.join(", ", unknown) + " is neither one the reader knows out of the box " + KNOWN_SYMPTOMS
                + " nor one symptoms.yaml reads; no alert would select the rule. Fix the name, or add the symptom to symptoms.yaml");
    }
}
