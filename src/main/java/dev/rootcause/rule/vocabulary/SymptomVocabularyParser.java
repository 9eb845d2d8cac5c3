package dev.rootcause.rule.vocabulary;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.alert.reading.Target;
import dev.rootcause.alert.reading.Vocabulary;
import dev.rootcause.support.FileMistake;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads and checks {@code symptoms.yaml} (rules/symptoms.schema.json describes it). Every problem is a
 * {@link FileMistake} whose message is {@code symptoms.yaml:line: message}, the line of the offending key.
 */
final class SymptomVocabularyParser {

    static final Set<String> TOP_KEYS = Set.of("pin", "symptoms", "expression", "words", "target", "slo_labels");
    static final Set<String> ENTRY_KEYS = Set.of("metric", "function", "label", "value", "symptoms", "words_may_say");
    static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** A word as {@link dev.rootcause.alert.reading.Words} yields them: lower-case letters and digits. */
    static final Pattern WORD = Pattern.compile("[\\p{Ll}\\p{N}]+");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String file;
    private final Map<String, Integer> lines;
    private final Set<Symptom> known = new LinkedHashSet<>();

    private SymptomVocabularyParser(String file, Map<String, Integer> lines) {
        this.file = file;
        this.lines = lines;
    }

    /**
     * @param file the name messages show, e.g. {@code symptoms.yaml}
     * @throws FileMistake {@code file:line: message}
     */
    static Vocabulary parse(String file, String text) {
        JsonNode root;
        Map<String, Integer> lines;
        try {
            root = YAML.readTree(text);
            lines = lines(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new FileMistake(file + ":" + (at == null ? 1 : at.getLineNr()) + ": " + e.getOriginalMessage().replaceAll("\\s*\\n\\s*", " "));
        } catch (IOException e) {
            throw new FileMistake(file + ":1: " + e.getMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            // an emptied file would silently stop every alert being read by its expression and words
            throw new FileMistake(file + ":1: the file is empty; it must declare symptoms: (delete the file to read alerts by"
                    + " their pinned symptoms only)");
        }
        return new SymptomVocabularyParser(file, lines).vocabulary(root);
    }

    private Vocabulary vocabulary(JsonNode root) {
        if (!root.isObject()) {
            throw fail("", "expected a mapping with pin, symptoms, expression, words, target, slo_labels");
        }
        keys(root, "", TOP_KEYS);
        String pin = root.path("pin").asText("rootcause_symptom");
        if (!LABEL.matcher(pin).matches()) {
            throw fail("/pin", "pin: \"" + pin + "\" is not a label name");
        }
        JsonNode symptoms = root.path("symptoms");
        if (!symptoms.isObject() || symptoms.isEmpty()) {
            throw fail("/symptoms", "symptoms: required, a mapping of symptom → what it means");
        }
        symptoms.fieldNames().forEachRemaining(name -> known.add(symptom(name, "/symptoms/" + name)));
        List<Vocabulary.Entry> entries = new ArrayList<>();
        JsonNode expression = root.path("expression");
        if (!expression.isMissingNode() && !expression.isArray()) {
            throw fail("/expression", "expression: expected a list of entries");
        }
        for (int i = 0; i < expression.size(); i++) {
            entries.add(entry(expression.get(i), "/expression/" + i));
        }
        return new Vocabulary(pin, entries, words(root.path("words")), targetLabels(root.path("target")),
                regex(root.path("target").get("not_services"), "/target/not_services"), labels(root.path("slo_labels"), "/slo_labels"));
    }

    private Vocabulary.Entry entry(JsonNode node, String at) {
        if (!node.isObject()) {
            throw fail(at, "expression entry: expected a mapping with symptoms and metric, function or label");
        }
        keys(node, at, ENTRY_KEYS);
        if (!node.has("metric") && !node.has("function") && !node.has("label")) {
            throw fail(at, "expression entry: give at least one of metric, function, label");
        }
        if (node.has("value") && !node.has("label")) {
            throw fail(at + "/value", "value: only with label (it is that matcher's value)");
        }
        List<Symptom> symptoms = symptomList(node.get("symptoms"), at + "/symptoms");
        if (symptoms.isEmpty()) {
            throw fail(at, "symptoms: required, a non-empty list of symptoms");
        }
        return new Vocabulary.Entry(symptoms, regex(node.get("metric"), at + "/metric"), regex(node.get("function"), at + "/function"),
                regex(node.get("label"), at + "/label"), regex(node.get("value"), at + "/value"),
                symptomList(node.get("words_may_say"), at + "/words_may_say"), line(at));
    }

    private List<Vocabulary.WordEntry> words(JsonNode node) {
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw fail("/words", "words: expected a mapping of symptom → list of words or phrases");
        }
        List<Vocabulary.WordEntry> out = new ArrayList<>();
        for (var e : node.properties()) {
            String at = "/words/" + e.getKey();
            Symptom s = declared(e.getKey(), at);
            if (!e.getValue().isArray()) {
                throw fail(at, "words of " + s + ": expected a list of words or phrases");
            }
            List<List<String>> phrases = new ArrayList<>();
            for (JsonNode p : e.getValue()) {
                List<String> words = List.of(p.asText().strip().split(" +"));
                if (!p.isTextual() || !words.stream().allMatch(w -> WORD.matcher(w).matches())) {
                    throw fail(at, "words of " + s + ": \"" + p.asText() + "\" must be lower-case whole words separated by spaces");
                }
                phrases.add(words);
            }
            out.add(new Vocabulary.WordEntry(s, phrases));
        }
        return out;
    }

    private Map<String, List<String>> targetLabels(JsonNode node) {
        if (node.isMissingNode()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw fail("/target", "target: expected a mapping of kind → labels");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (var e : node.properties()) {
            if (e.getKey().equals("not_services")) {
                continue;
            }
            if (!Target.KINDS.contains(e.getKey())) {
                throw fail("/target/" + e.getKey(), "target: " + e.getKey() + " is not a kind of target (known: "
                        + String.join(", ", Target.KINDS) + ", not_services)");
            }
            out.put(e.getKey(), labels(e.getValue(), "/target/" + e.getKey()));
        }
        return out;
    }

    private List<String> labels(JsonNode node, String at) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw fail(at, at.substring(at.lastIndexOf('/') + 1) + ": expected a list of label names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode l : node) {
            if (!l.isTextual() || !LABEL.matcher(l.asText()).matches()) {
                throw fail(at, "\"" + l.asText() + "\" is not a label name");
            }
            out.add(l.asText());
        }
        return out;
    }

    private List<Symptom> symptomList(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw fail(at, at.substring(at.lastIndexOf('/') + 1) + ": expected a list of symptoms, e.g. [latency]");
        }
        List<Symptom> out = new ArrayList<>();
        for (JsonNode s : node) {
            out.add(declared(s.asText(), at));
        }
        return out;
    }

    private Symptom declared(String name, String at) {
        Symptom s = symptom(name, at);
        if (!known.contains(s)) {
            throw fail(at, "symptom \"" + name + "\" is not declared under symptoms: (known: "
                    + String.join(", ", known.stream().map(Symptom::name).toList()) + ")");
        }
        return s;
    }

    private Symptom symptom(String name, String at) {
        try {
            return Symptom.of(name);
        } catch (IllegalArgumentException e) {
            throw fail(at, e.getMessage());
        }
    }

    private Pattern regex(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw fail(at, at.substring(at.lastIndexOf('/') + 1) + ": expected a regular expression");
        }
        try {
            return Pattern.compile(node.asText());
        } catch (PatternSyntaxException e) {
            throw fail(at, at.substring(at.lastIndexOf('/') + 1) + ": not a regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
    }

    private void keys(JsonNode node, String at, Set<String> allowed) {
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                throw fail(at + "/" + k, k + ": unknown key (known: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        });
    }

    private FileMistake fail(String pointer, String message) {
        return new FileMistake(file + ":" + line(pointer) + ": " + message);
    }

    /** The line of the node at {@code pointer}, or of its nearest parent that has one; 1 at worst. */
    private int line(String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 1;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** JSON pointer → the line where that key or list item starts, read with Jackson's YAML parser. */
    private static Map<String, Integer> lines(String text) throws IOException {
        Map<String, Integer> out = new HashMap<>();
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                var context = p.getParsingContext();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    context = context.getParent(); // the container's own place is in its parent
                }
                if (t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY && context != null) {
                    out.putIfAbsent(context.pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
                }
            }
        }
        return out;
    }
}
