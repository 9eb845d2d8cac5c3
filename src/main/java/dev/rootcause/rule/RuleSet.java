package dev.rootcause.rule;

import java.time.Instant;
import java.util.List;

/**
 * The rules in force and the problems met loading them.
 *
 * @param rules    the loaded rules, by file name then position
 * @param errors   {@code file:line: message} for each problem; a file with an error contributes no rule
 * @param warnings {@code file: message} for each rule that loaded but is likely a mistake (e.g. it declares no
 *                 symptoms); its rule is in force
 * @param loadedAt when the set was read
 */
public record RuleSet(List<Rule> rules, List<String> errors, List<String> warnings, Instant loadedAt) {

    /** A set without warnings. */
    public RuleSet(List<Rule> rules, List<String> errors, Instant loadedAt) {
        this(rules, errors, List.of(), loadedAt);
    }

    public RuleSet {
        rules = List.copyOf(rules);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }
}
