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
     * the symptom vocabulary, so a rule naming one outside this list is warned about, not refused.
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
        } else {
            for (Symptom s : rule.symptoms()) {
                if (!KNOWN_SYMPTOMS.contains(s.name())) {
                    out.add(rule.file() + ": rule " + rule.id() + ": symptom " + s + " is not one the reader knows out of "
                            + "the box " + KNOWN_SYMPTOMS + "; the rule runs only if the symptom vocabulary reads it");
                }
            }
        }
        return out;
    }
}
