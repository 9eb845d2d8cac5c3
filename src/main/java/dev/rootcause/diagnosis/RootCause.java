package dev.rootcause.diagnosis;

/**
 * The best supported finding.
 *
 * @param summary    the finding's cause text
 * @param confidence {@code high}, {@code medium} or {@code low}, after the evidence-kind check
 * @param note       why the confidence is lower than the rule declared, or null
 */
public record RootCause(String summary, String confidence, String rule, String finding, String note) {
}
