package dev.rootcause.rule;

import java.util.Map;
import java.util.Set;

/** The step types the diagnosis engine can run; rule loading checks steps against them. */
public interface StepTypes {

    /** e.g. {@code metrics.query}, {@code metrics.compare} */
    Set<String> names();

    /**
     * The values a step of this type produces, each with a sample of its type (a Double, Long, String or
     * Boolean), as {@code steps.<id>.<value>} in conditions and {@code {id.value}} in causes read them.
     */
    Map<String, Object> outputs(String type);

    /**
     * Values of this type kept under an old name (CHANGELOG.md, "Deprecated"): old name → new name. A rule reading an
     * old name still loads, and the first such rule is warned about.
     */
    default Map<String, String> deprecatedOutputs(String type) {
        return Map.of();
    }

    /**
     * Checks a step's {@code with:} parameters.
     *
     * @throws IllegalArgumentException {@code "<key>: what is wrong"} for an unknown, missing or bad key
     */
    void check(String type, Map<String, Object> with);
}
