package dev.rootcause.alert.reading;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads an alert's symptoms, in the reader's order of trust: the operator's pin, else the expression, else
 * the whole words of the alert name, then summary, then description (the first of them that says anything).
 */
final class SymptomReader {

    private static final Pattern LIST = Pattern.compile("\\s*,\\s*");

    private final Vocabulary vocabulary;

    SymptomReader(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    List<SymptomReading> read(String alertname, Map<String, String> labels, Map<String, String> annotations,
            PromQl.Expression expression) {
        List<SymptomReading> pinned = pinned(labels, annotations);
        if (!pinned.isEmpty()) {
            return pinned;
        }
        List<SymptomReading> out = expression == null ? List.of() : fromExpression(alertname, labels, expression);
        if (!out.isEmpty()) {
            return out;
        }
        for (String[] part : new String[][] {{"the alert name", alertname}, {"the summary", annotations.get("summary")},
                {"the description", annotations.get("description")}}) {
            out = fromWords(Words.of(part[1]), part[0]);
            if (!out.isEmpty()) {
                return out;
            }
        }
        return List.of();
    }

    /** The pin label, else the pin annotation; a misspelt symptom is skipped (the rest of the pin still holds). */
    private List<SymptomReading> pinned(Map<String, String> labels, Map<String, String> annotations) {
        String pin = vocabulary.pin();
        String where = labels.containsKey(pin) ? "label" : "annotation";
        String value = labels.containsKey(pin) ? labels.get(pin) : annotations.get(pin);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        Map<Symptom, SymptomReading> out = new LinkedHashMap<>();
        for (String name : LIST.split(value.strip())) {
            try {
                Symptom s = Symptom.of(name.toLowerCase(java.util.Locale.ROOT));
                out.putIfAbsent(s, new SymptomReading(s, SymptomReading.From.LABEL, where + " " + pin + "=\"" + value.strip() + "\""));
            } catch (IllegalArgumentException e) {
                // not a symptom's spelling: ignored, the other pinned symptoms stand
            }
        }
        return List.copyOf(out.values());
    }

    private List<SymptomReading> fromExpression(String alertname, Map<String, String> labels, PromQl.Expression expression) {
        Map<Symptom, SymptomReading> out = new LinkedHashMap<>();
        for (PromQl.Selector s : expression.selectors()) {
            for (Vocabulary.Entry e : vocabulary.expression()) {
                String reason = fits(e, s);
                if (reason != null) {
                    for (Symptom symptom : refined(e, alertname, labels, s)) {
                        out.putIfAbsent(symptom, new SymptomReading(symptom, SymptomReading.From.EXPRESSION, reason));
                    }
                    break;
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** Why the entry fits the selector, or null when it does not. */
    static String fits(Vocabulary.Entry e, PromQl.Selector s) {
        String metric = s.metric();
        if (e.metric() != null) {
            metric = metricPart(e.metric(), s.metric());
            if (metric == null) {
                return null;
            }
        }
        String function = null;
        if (e.function() != null) {
            function = s.functions().stream().filter(f -> e.function().matcher(f).matches()).findFirst().orElse(null);
            if (function == null) {
                return null;
            }
        }
        PromQl.Matcher matcher = null;
        if (e.label() != null) {
            matcher = s.matchers().stream().filter(m -> e.label().matcher(m.label()).matches()
                    && (e.value() == null || e.value().matcher(m.value()).matches())).findFirst().orElse(null);
            if (matcher == null) {
                return null;
            }
        }
        String over = s.metric() == null ? "a selector" : s.metric();
        String via = metric != null && s.metric() != null && !metric.equals(s.metric()) ? " (recording rule over " + metric + ")" : "";
        if (matcher != null) {
            return "matcher " + matcher + " on " + over + via;
        }
        if (function != null) {
            return function + " over " + over + via;
        }
        return "metric " + over + via;
    }

    /** The name or colon-separated part of a recording rule's name that {@code pattern} matches, or null. */
    private static String metricPart(Pattern pattern, String metric) {
        if (metric == null) {
            return null;
        }
        if (pattern.matcher(metric).matches()) {
            return metric;
        }
        if (metric.indexOf(':') >= 0) {
            for (String part : metric.split(":")) {
                if (!part.isEmpty() && pattern.matcher(part).matches()) {
                    return part;
                }
            }
        }
        return null;
    }

    /** The entry's symptoms, or one it allows that the alert name, the SLO labels or the metric name say. */
    private List<Symptom> refined(Vocabulary.Entry e, String alertname, Map<String, String> labels, PromQl.Selector s) {
        if (e.wordsMaySay().isEmpty()) {
            return e.symptoms();
        }
        StringBuilder text = new StringBuilder(alertname == null ? "" : alertname).append(' ').append(s.metric());
        for (String slo : vocabulary.sloLabels()) {
            text.append(' ').append(labels.getOrDefault(slo, ""));
            s.matchers().stream().filter(m -> m.label().equals(slo) && m.op().equals("=")).forEach(m -> text.append(' ').append(m.value()));
        }
        List<Symptom> said = new ArrayList<>(fromWords(Words.of(text.toString()), "").stream().map(SymptomReading::symptom).toList());
        // a recording rule named after its source metric (pyrra: http_request_duration_seconds:burnrate5m)
        if (s.metric() != null && s.metric().indexOf(':') >= 0) {
            for (String part : s.metric().split(":")) {
                PromQl.Selector alone = new PromQl.Selector(part, List.of(), List.of());
                vocabulary.expression().stream().filter(other -> other != e && other.metric() != null && other.function() == null
                        && other.label() == null && fits(other, alone) != null).findFirst().ifPresent(other -> said.addAll(other.symptoms()));
            }
        }
        List<Symptom> allowed = said.stream().filter(e.wordsMaySay()::contains).distinct().toList();
        return allowed.isEmpty() ? e.symptoms() : allowed;
    }

    private List<SymptomReading> fromWords(List<String> words, String where) {
        List<SymptomReading> found = new ArrayList<>();
        Map<Symptom, Integer> at = new LinkedHashMap<>();
        for (Vocabulary.WordEntry w : vocabulary.words()) {
            for (List<String> phrase : w.phrases()) {
                int i = Words.find(words, phrase);
                if (i >= 0 && (!at.containsKey(w.symptom()) || at.get(w.symptom()) > i)) {
                    at.put(w.symptom(), i);
                    found.removeIf(r -> r.symptom().equals(w.symptom()));
                    found.add(new SymptomReading(w.symptom(), SymptomReading.From.WORDS,
                            "word '" + String.join(" ", phrase) + "' in " + where));
                }
            }
        }
        // in the order the words stand: "LatencyAndErrors" reads latency first
        found.sort(java.util.Comparator.comparingInt(r -> at.get(r.symptom())));
        return found;
    }
}
