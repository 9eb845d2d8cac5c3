package dev.rootcause.rule;

import java.util.List;
import java.util.Objects;

/**
 * A diagnosis rule loaded from {@code rules/*.yaml} (DESIGN.md §3).
 *
 * @param id    unique across the rule set, e.g. {@code cache-hit-rate}
 * @param title one line for people
 * @param file  the file it was loaded from, relative to the rules folder
 * @param match Alertmanager-style matchers, e.g. {@code alertname=~"Cache.*"}
 */
public record Rule(String id, String title, String file, List<String> match) {

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        match = List.copyOf(match);
    }
}
