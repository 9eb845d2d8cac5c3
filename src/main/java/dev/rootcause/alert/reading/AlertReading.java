package dev.rootcause.alert.reading;

import java.util.List;
import java.util.Objects;

/**
 * How an alert was read: its symptoms, its target and the expression they came from. Decides which rules run
 * (a rule's {@code symptoms:} and {@code target:}) and is shown in the report ({@link #summary()}).
 *
 * @param symptoms   what is wrong, most trusted first; empty when nothing could be read
 * @param target     what it is about; {@link Target#NONE} when nothing names it
 * @param expression the alert rule's expression when the alert carries it, else null
 * @param noTarget   one line saying why no target was found, or null when there is one
 */
public record AlertReading(List<SymptomReading> symptoms, Target target, String expression, String noTarget) {

    /** The reading of an alert nothing could be read from. */
    public static final AlertReading NOTHING = new AlertReading(List.of(), Target.NONE, null,
            "the alert was not read");

    public AlertReading {
        symptoms = List.copyOf(symptoms);
        Objects.requireNonNull(target, "target");
    }

    /** True when one of the alert's symptoms is covered by {@code symptom} (a rule's {@code saturation} covers {@code saturation.cpu}). */
    public boolean hasSymptomCoveredBy(Symptom symptom) {
        return symptoms.stream().anyMatch(s -> symptom.covers(s.symptom()));
    }

    /** The symptoms alone, most trusted first. */
    public List<Symptom> symptomList() {
        return symptoms.stream().map(SymptomReading::symptom).distinct().toList();
    }

    /**
     * One line for the report, e.g. {@code symptom latency (expression: histogram_quantile over
     * http_server_requests_seconds_bucket), target service checkout (label application)}.
     */
    public String summary() {
        StringBuilder out = new StringBuilder();
        if (symptoms.isEmpty()) {
            out.append("no symptom read");
        } else {
            out.append(symptoms.size() == 1 ? "symptom " : "symptoms ");
            for (int i = 0; i < symptoms.size(); i++) {
                SymptomReading s = symptoms.get(i);
                out.append(i == 0 ? "" : ", ").append(s.symptom()).append(" (").append(s.from()).append(": ")
                        .append(s.reason()).append(')');
            }
        }
        if (target.isEmpty()) {
            out.append(", no target").append(noTarget == null ? "" : ": " + noTarget);
        } else {
            out.append(", target ");
            String sep = "";
            for (var e : target.ordered().entrySet()) {
                out.append(sep).append(e.getKey()).append(' ').append(e.getValue());
                String how = target.from().get(e.getKey());
                if (how != null) {
                    out.append(" (").append(how).append(')');
                }
                sep = ", ";
            }
        }
        return out.toString();
    }
}
