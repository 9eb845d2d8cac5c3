package dev.rootcause.diagnosis;

import dev.rootcause.rule.Confidence;

/**
 * The best supported finding.
 *
 * @param summary    the finding's cause text
 * @param confidence the finding's, after the evidence-kind check
 * @param note       why the confidence is lower than the rule declared, or null
 */
public record RootCause(String summary, Confidence confidence, String rule, String finding, String note) {
}
