package dev.rootcause.diagnosis;

import dev.rootcause.rule.Confidence;
import java.util.List;

/**
 * The best supported finding.
 *
 * @param summary    the finding's cause text
 * @param confidence the finding's, after the evidence-kind check
 * @param note       why the confidence is lower than the rule declared, or null
 * @param kinds      the independent evidence kinds the confidence was weighed on ("metric", "trace", ...): the cited
 *                   steps that answered (a {@code graph.walk}'s agreeing kinds for a walk), then those of findings of
 *                   other rules that name the same cause; empty in reports stored before this field existed
 */
public record RootCause(String summary, Confidence confidence, String rule, String finding, String note, List<String> kinds) {

    public RootCause {
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
    }

    /** A root cause whose evidence kinds are not known (tests, callers that weigh nothing). */
    public RootCause(String summary, Confidence confidence, String rule, String finding, String note) {
        this(summary, confidence, rule, finding, note, List.of());
    }
}
