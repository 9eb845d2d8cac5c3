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
    private static final Pattern CAMEL_SNAKE = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");

    /** Named beside another symptom, "error" only qualifies it. */
    private static final Symptom ERRORS = Symptom.of("errors");
    private static final Symptom CACHE = Symptom.of("cache");
    private static final Symptom MEMORY = Symptom.of("saturation.memory");

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
        out = fromWords(Words.of(alertname), "the alert name");
        if (!out.isEmpty()) {
            return out;
        }
        // the summary states the symptom; a description explains causes and consequences in passing, so it is not read
        out = fromWords(Words.of(annotations.get("summary")), "the summary");
        return out.size() == 1 ? out : List.of();
    }

    /** The pin label, else the pin annotation; a misspelt symptom is skipped (the rest of the pin still holds). */
    private List<SymptomReading> pinned(Map<String, String> labels, Map<String, String> annotations) {
        String pin = vocabulary.pin();
        String where = labels.containsKey(pin) ? "label" : "annotation";
        String value = labels.containsKey(pin) ? labels.get(pin) : annotations.get(pin);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        // the symptoms the vocabulary knows; a pinned name none of them is, covers or is covered by is a misspelling
        List<Symptom> known = java.util.stream.Stream.concat(vocabulary.expression().stream().flatMap(e -> e.symptoms().stream()),
                vocabulary.words().stream().map(Vocabulary.WordEntry::symptom)).distinct().toList();
        Map<Symptom, SymptomReading> out = new LinkedHashMap<>();
        for (String name : LIST.split(value.strip())) {
            try {
                Symptom s = Symptom.of(name.toLowerCase(java.util.Locale.ROOT));
                if (known.isEmpty() || known.stream().anyMatch(k -> k.covers(s) || s.covers(k))) {
                    out.putIfAbsent(s, new SymptomReading(s, SymptomReading.From.LABEL,
                            (where.equals("label") ? "" : "annotation ") + pin + "=\"" + value.strip() + "\""));
                }
            } catch (IllegalArgumentException e) {
                // not a symptom's spelling: ignored, the other pinned symptoms stand
            }
        }
        // nothing pinned is known: the expression and the words are read instead
        return List.copyOf(out.values());
    }

    /** What the measured selectors say; only when they say nothing, what the divisors and conditions say. */
    private List<SymptomReading> fromExpression(String alertname, Map<String, String> labels, PromQl.Expression expression) {
        List<SymptomReading> primary = fromSelectors(alertname, labels,
                expression.selectors().stream().filter(s -> !s.secondary()).toList());
        List<SymptomReading> secondary = fromSelectors(alertname, labels,
                expression.selectors().stream().filter(PromQl.Selector::secondary).toList());
        if (primary.isEmpty()) {
            return secondary;
        }
        // a condition still counts when a matcher names what it is (… and last_terminated_reason{reason="OOMKilled"})
        List<SymptomReading> out = new ArrayList<>(primary);
        secondary.stream().filter(r -> r.reason().startsWith("matcher ") && out.stream().noneMatch(p -> p.symptom().equals(r.symptom())))
                .forEach(out::add);
        return out;
    }

    private List<SymptomReading> fromSelectors(String alertname, Map<String, String> labels, List<PromQl.Selector> selectors) {
        Map<Symptom, SymptomReading> out = new LinkedHashMap<>();
        for (PromQl.Selector s : selectors) {
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

    /**
     * The name that {@code pattern} matches, or null. A recording rule's name ({@code level:metric:operations}) is
     * matched whole only by patterns that spell a colon, else part by part; a camelCase name
     * ({@code totalGCTime}) is tried in snake case too.
     */
    private static String metricPart(Pattern pattern, String metric) {
        if (metric == null) {
            return null;
        }
        if (metric.indexOf(':') < 0 || pattern.pattern().indexOf(':') >= 0) {
            return pattern.matcher(metric).matches() ? metric : snake(pattern, metric);
        }
        for (String part : metric.split(":")) {
            if (!part.isEmpty() && (pattern.matcher(part).matches() || snake(pattern, part) != null)) {
                return part;
            }
        }
        return null;
    }

    /** {@code name} when its snake-case spelling ({@code totalGCTime} → {@code total_gc_time}) matches, else null. */
    private static String snake(Pattern pattern, String name) {
        String whole = String.join("_", CAMEL_SNAKE.split(name)).toLowerCase(java.util.Locale.ROOT);
        return !whole.equals(name) && pattern.matcher(whole).matches() ? name : null;
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

    /**
     * Symptoms named by whole words, in the order they stand. Longer phrases claim their words first ("slowing down"
     * is latency, its "down" no longer availability), and "error" beside another symptom only qualifies it
     * ("InterfaceErrors" is network, "OutOfMemoryErrors" memory).
     */
    private List<SymptomReading> fromWords(List<String> words, String where) {
        List<Object[]> phrases = new ArrayList<>(); // {symptom, phrase}
        vocabulary.words().forEach(w -> w.phrases().forEach(p -> phrases.add(new Object[] {w.symptom(), p})));
        phrases.sort(java.util.Comparator.comparingInt(p -> -((List<?>) p[1]).size()));
        boolean[] claimed = new boolean[words.size()];
        Map<Symptom, Integer> at = new LinkedHashMap<>();
        Map<Symptom, String> why = new LinkedHashMap<>();
        for (Object[] entry : phrases) {
            Symptom symptom = (Symptom) entry[0];
            @SuppressWarnings("unchecked")
            List<String> phrase = (List<String>) entry[1];
            int i = Words.find(words, phrase);
            while (i >= 0 && anyClaimed(claimed, i, phrase.size())) {
                int next = Words.find(words.subList(i + 1, words.size()), phrase);
                i = next < 0 ? -1 : i + 1 + next;
            }
            if (i < 0) {
                continue;
            }
            java.util.Arrays.fill(claimed, i, i + phrase.size(), true);
            if (!at.containsKey(symptom) || at.get(symptom) > i) {
                at.put(symptom, i);
                why.put(symptom, "word '" + String.join(" ", phrase) + "' in " + where);
            }
        }
        if (at.size() > 1) {
            at.remove(ERRORS);
        }
        if (at.containsKey(CACHE)) {
            at.remove(MEMORY); // a cache's memory is the cache's
        }
        List<SymptomReading> found = new ArrayList<>();
        at.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> found.add(new SymptomReading(e.getKey(), SymptomReading.From.WORDS, why.get(e.getKey()))));
        return found;
    }

    private static boolean anyClaimed(boolean[] claimed, int from, int length) {
        for (int k = from; k < from + length; k++) {
            if (claimed[k]) {
                return true;
            }
        }
        return false;
    }
}
