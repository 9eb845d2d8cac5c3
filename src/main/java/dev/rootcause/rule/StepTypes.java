package dev.rootcause.rule;

import java.util.Set;

/** The step types the diagnosis engine can run; rule loading rejects any other. */
public interface StepTypes {

    /** e.g. {@code metrics.query}, {@code metrics.compare} */
    Set<String> names();
}
