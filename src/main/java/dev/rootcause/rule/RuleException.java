package dev.rootcause.rule;

import dev.rootcause.support.FileMistake;

/** A rule file that is not a valid rule; the message is {@code file:line: what is wrong}. */
public class RuleException extends FileMistake {

    public RuleException(String message) {
        super(message);
    }
}
