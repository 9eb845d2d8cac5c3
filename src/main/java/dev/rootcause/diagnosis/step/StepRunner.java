package dev.rootcause.diagnosis.step;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.rule.Rule;
import java.util.Map;

/**
 * One step type (SPI). Implementations are beans; the engine finds them by {@link #type()}. A runner
 * never throws for a backend failure: it returns evidence with status {@code error} or {@code timeout}.
 */
public interface StepRunner {

    /** The {@code type:} name in rule files, e.g. {@code metrics.compare}. */
    String type();

    /** The evidence kind it produces, e.g. {@code metric}. */
    String kind();

    /** The values its evidence carries, each with a sample of its type (Double, Long, String, Boolean). */
    Map<String, Object> outputs();

    /** Values of {@link #outputs()} kept under an old name: old name → new name (none by default). */
    default Map<String, String> deprecatedOutputs() {
        return Map.of();
    }

    /**
     * Checks a step's {@code with:} parameters at rule load.
     *
     * @throws IllegalArgumentException {@code "<key>: what is wrong"}
     */
    void check(Map<String, Object> with);

    /**
     * Whether the step still runs when a step it {@code needs} did not end {@code ok} (it reads that evidence as a
     * hint, e.g. {@code graph.walk}'s {@code agree_with}); false by default: such a step is skipped.
     */
    default boolean runsAfterFailedNeeds() {
        return false;
    }

    /**
     * @param step the step as written in the rule
     * @param vars resolved rule and global variables, for {@code $name} placeholders
     * @param previous outputs of the steps finished so far, by step id
     */
    Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous);

    /**
     * Backend queries to set aside for this step when a diagnosis starts, so that the many one-query checks
     * that start at once cannot spend the diagnosis' query budget before a step that needs several in a row (the
     * dependency walk, which also waits for the steps it {@code needs}). 0 (the default): the step takes from the
     * common part of the budget only.
     */
    default int reservedQueries(Rule.Step step) {
        return 0;
    }
}
