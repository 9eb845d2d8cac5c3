package dev.rootcause.rule;

import java.time.Instant;
import java.util.List;

/**
 * The rules in force and the problems met loading them.
 *
 * @param rules    the loaded rules, by file name then position
 * @param errors   {@code file:line: message} for each problem; a file with an error contributes no rule
 * @param loadedAt when the set was read
 */
public record RuleSet(List<Rule> rules, List<String> errors, Instant loadedAt) {

    public RuleSet {
        rules = List.copyOf(rules);
        errors = List.copyOf(errors);
    }
}
