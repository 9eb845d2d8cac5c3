package dev.rootcause.ruletest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.diagnosis.Diagnosis;
import java.util.List;

/** Checks of an {@code expected.yaml} beyond the root cause and the verdicts ({@link RuleTestRunner}). */
final class Expectations {

    private Expectations() {
    }

    /**
     * {@code rankingNotes: [text, ...]}: each text must appear in one of the notes on why the root cause was preferred;
     * {@code []}: there must be none. Adds one line per mismatch to {@code problems}.
     */
    static void rankingNotes(JsonNode expected, Diagnosis d, List<String> problems) {
        if (expected == null) {
            return;
        }
        if (!expected.isArray()) {
            problems.add("rankingNotes: expected a list of texts, got " + expected);
            return;
        }
        if (expected.isEmpty() && !d.rankingNotes().isEmpty()) {
            problems.add("rankingNotes: expected none, got " + d.rankingNotes());
        }
        for (JsonNode part : expected) {
            if (d.rankingNotes().stream().noneMatch(n -> n.contains(part.asText()))) {
                problems.add("rankingNotes: expected one to contain \"" + part.asText() + "\", got " + d.rankingNotes());
            }
        }
    }
}
