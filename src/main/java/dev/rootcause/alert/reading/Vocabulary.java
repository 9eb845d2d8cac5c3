package dev.rootcause.alert.reading;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The symptom vocabulary, as loaded from {@code rules/symptoms.yaml} (see docs/alert-reading.md): how an alert's
 * expression and words name its symptoms, and which labels name its target.
 *
 * @param pin          the label (or annotation) an operator sets to pin the symptoms, comma-separated, e.g.
 *                     {@code rootcause_symptom: "latency, saturation.threads"}
 * @param expression   what metric names, matchers and functions mean, tried in file order for each selector of
 *                     the expression; the first entry that fits a selector gives its symptoms
 * @param words        what whole words of the alert name, summary or description mean, the last resort
 * @param targetLabels kind ({@link Target#KINDS}) → labels that name it, in order of preference
 * @param notServices  values of a service label that name the scraper, not the service (e.g.
 *                     {@code kube-state-metrics}, {@code node-exporter}): such a label names no service
 * @param sloLabels    labels naming an SLO ({@code sloth_slo}, {@code slo}): their words may refine an entry
 *                     with {@code words_may_say}
 */
public record Vocabulary(String pin, List<Entry> expression, List<WordEntry> words, Map<String, List<String>> targetLabels,
        Pattern notServices, List<String> sloLabels) {

    /** The file name inside the rules folder. */
    public static final String FILE = "symptoms.yaml";

    /** An empty vocabulary: nothing is read but pinned symptoms. */
    public static final Vocabulary EMPTY = new Vocabulary("rootcause_symptom", List.of(), List.of(), Map.of(), null, List.of());

    public Vocabulary {
        Objects.requireNonNull(pin, "pin");
        expression = List.copyOf(expression);
        words = List.copyOf(words);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        targetLabels.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        targetLabels = java.util.Collections.unmodifiableMap(copy);
        sloLabels = List.copyOf(sloLabels);
    }

    /**
     * One meaning of a selector in an expression. Every condition given must hold (anchored regular
     * expressions, RE2-like Java syntax); at least one is given.
     *
     * @param symptoms    what it means, most important first
     * @param metric      the metric name, or null for any; tried on a recording rule's name and then on each of
     *                    its colon-separated parts ({@code instance:node_cpu_utilisation:rate5m})
     * @param function    a function or aggregation the selector stands in ({@code histogram_quantile}), or null
     * @param label       a matcher's label name ({@code code|status}), or null
     * @param value       that matcher's value as written ({@code 5..}), or null for any
     * @param wordsMaySay symptoms the words of the alert name, the SLO labels or the metric may say instead
     *                    (an SLO burn rate is {@code errors} unless it is a latency SLO)
     * @param line        where it is written in the file, for messages
     */
    public record Entry(List<Symptom> symptoms, Pattern metric, Pattern function, Pattern label, Pattern value,
            List<Symptom> wordsMaySay, int line) {
        public Entry {
            symptoms = List.copyOf(symptoms);
            wordsMaySay = List.copyOf(wordsMaySay);
            if (symptoms.isEmpty()) {
                throw new IllegalArgumentException("an entry names at least one symptom");
            }
        }
    }

    /**
     * Words that name a symptom.
     *
     * @param symptom what they mean
     * @param phrases each one or more lower-case whole words, e.g. {@code [slow]}, {@code [hit, ratio]}
     */
    public record WordEntry(Symptom symptom, List<List<String>> phrases) {
        public WordEntry {
            phrases = phrases.stream().map(List::copyOf).toList();
        }
    }
}
