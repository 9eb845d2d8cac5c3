package dev.rootcause.incident;

import java.time.Instant;

/**
 * A responder's verdict on an incident's root cause, kept on the incident (the latest verdict wins).
 *
 * @param verdict {@link Verdict#RIGHT} or {@link Verdict#WRONG}
 * @param actual  what the cause actually was, in the responder's words (at most {@link #MAX_ACTUAL} characters);
 *                null for a right verdict
 * @param rule    the rule whose finding was the judged root cause, or null when none was determined
 * @param cause   the root cause judged (its summary), or null when none was determined
 * @param by      who judged: the page user's or Discord user's name
 * @param at      when
 */
public record Feedback(Verdict verdict, String actual, String rule, String cause, String by, Instant at) {

    /** Characters kept of {@code actual}: a sentence or two, as a form field or a Discord text input allows. */
    public static final int MAX_ACTUAL = 1000;

    /** The verdict; {@link #wire()} is its stored and JSON value. */
    public enum Verdict {
        RIGHT, WRONG;

        public String wire() {
            return name().toLowerCase();
        }

        /** The verdict of a wire value ({@code right}, {@code wrong}), or null for anything else. */
        public static Verdict of(String wire) {
            for (Verdict v : values()) {
                if (v.wire().equals(wire)) {
                    return v;
                }
            }
            return null;
        }
    }

    /**
     * One rule's verdicts: root causes judged right, judged wrong, and not judged yet (incidents whose latest
     * root cause is the rule's and carry no verdict).
     *
     * @param rule the rule id, or null for incidents without a root cause (a verdict on "not determined")
     */
    public record RuleCounts(String rule, long right, long wrong, long notJudged) {
    }
}
