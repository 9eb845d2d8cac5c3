package dev.rootcause.alert.reading;

/**
 * Tracks whether the reader stands in a secondary operand: the right operand of {@code /} (until that operand
 * ends at the depth it began) or what follows {@code and}/{@code unless} (until {@code or} at that depth or the
 * enclosing parenthesis closes).
 */
final class OperandRole {
    private int divisorDepth = -1;
    private int conditionDepth = -1;

    void before(boolean slash, int depth) {
        if (slash && divisorDepth < 0) {
            divisorDepth = depth;
        }
        if (conditionDepth > depth) {
            conditionDepth = -1; // the group holding "and …" closed
        }
    }

    void keyword(String word, int depth) {
        if ((word.equals("and") || word.equals("unless")) && conditionDepth < 0) {
            conditionDepth = depth;
        } else if (word.equals("or") && conditionDepth == depth) {
            conditionDepth = -1;
        }
    }

    /** After a selector, a number or a closing parenthesis: a divisor begun at this depth has ended. */
    void operandEnded(int depth) {
        if (divisorDepth == depth) {
            divisorDepth = -1;
        }
    }

    boolean now() {
        return divisorDepth >= 0 || conditionDepth >= 0;
    }
}
