package dev.rootcause.rule;

/** A rule file that is not a valid rule; the message is {@code file:line: what is wrong}. */
public class RuleException extends RuntimeException {

    RuleException(String message) {
        super(message);
    }
}
