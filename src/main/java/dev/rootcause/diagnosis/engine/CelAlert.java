package dev.rootcause.diagnosis.engine;

import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.alert.reading.Target;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.rule.Conditions;
import dev.rootcause.rule.Rule;
import dev.cel.runtime.CelEvaluationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rule's vars and conditions see of the alert ({@link Conditions}): {@code labels}, {@code annotations},
 * {@code target} (kind → value as the alert was read) and {@code symptoms} (the names it was read to have).
 */
final class CelAlert {

    private CelAlert() {
    }

    /**
     * The alert's target as CEL's {@code target} map, e.g. {@code {service: checkout, namespace: shop}}. An alert
     * that was not read at all ({@link AlertReading#NOTHING}: a test's or a caller's context built without the
     * reader) has as target its labels named like the kinds ({@code service}, {@code pod}, … of {@link Target#KINDS}).
     */
    static Map<String, String> target(AlertContext alert) {
        if (alert.reading() != AlertReading.NOTHING) {
            return alert.reading().target().ordered();
        }
        Map<String, String> out = new LinkedHashMap<>();
        Target.KINDS.stream().filter(k -> alert.labels().containsKey(k) && !alert.labels().get(k).isBlank())
                .forEach(k -> out.put(k, alert.labels().get(k)));
        return out;
    }

    /** The alert's symptoms as CEL's {@code symptoms} list, e.g. {@code [latency, saturation.cpu]}. */
    static List<String> symptoms(AlertContext alert) {
        return alert.reading().symptomList().stream().map(Symptom::name).toList();
    }

    /**
     * Evaluates a rule's var or condition on the alert.
     *
     * @param steps step id → value name → value; empty for vars
     * @throws CelEvaluationException e.g. for {@code target.service} of an alert naming no service
     */
    static Object eval(String expression, Map<String, ?> steps, AlertContext alert) throws CelEvaluationException {
        return Conditions.compile(expression).eval(steps, alert.labels(), alert.annotations(), target(alert), symptoms(alert));
    }

    /** The alert's target as the rule's selection sees it ({@link Rule#hasTargetIn}). */
    static Target selectionTarget(AlertContext alert) {
        if (alert.reading() != AlertReading.NOTHING) {
            return alert.reading().target();
        }
        Target t = Target.NONE;
        for (var e : target(alert).entrySet()) {
            t = t.with(e.getKey(), e.getValue(), "label " + e.getKey());
        }
        return t;
    }
}
