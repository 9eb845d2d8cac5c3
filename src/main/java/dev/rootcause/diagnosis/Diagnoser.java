package dev.rootcause.diagnosis;

import dev.rootcause.rule.Rule;
import java.util.List;

/**
 * Diagnoses an alert: runs rules over it and returns the evidence, findings and root cause. Blocks until every
 * step has ended (each step has its own timeout, {@code rootcause.diagnosis.step-timeout}, within the diagnosis'
 * deadline, {@code rootcause.diagnosis.deadline}; time queued for a backend slot comes on top). Implemented by the
 * engine ({@code diagnosis.engine.EngineDiagnoser}); intake's processing and {@code /diagnose} call it.
 *
 * @throws IllegalStateException from every method when no rule set could be loaded (the reason says why)
 */
public interface Diagnoser {

    /**
     * Whether a diagnosis can be asked for yet: false while the service is still starting and the rule set's first
     * load has not ended (a diagnosis then would throw for start-up ordering alone, not for a lasting reason; the
     * caller should try again later). True afterwards, also when no rule set could be loaded (that is reported).
     */
    default boolean ready() {
        return true;
    }

    /**
     * Runs every rule that explains one of the symptoms the alert was read to have, for a target it names, and whose
     * matchers hold for its labels (rules declaring no symptoms: whose matchers hold); says which rules did not run
     * for want of a target ({@link Diagnosis#notRun()}).
     */
    Diagnosis diagnose(AlertContext alert);

    /**
     * Runs the rules {@link #diagnose(AlertContext)} runs, at a priority.
     *
     * @param severity the incident's severity ({@code critical} is served first at the backend gates); null: none
     * @param onQueued called at most once, when a query of this diagnosis first waits for a backend slot, with how
     *                 many other diagnoses are ahead of it; on the step's thread, so it must return quickly
     */
    Diagnosis diagnose(AlertContext alert, String severity, java.util.function.IntConsumer onQueued);

    /** Runs every rule marked {@code ondemand: true}; the alert is synthetic. */
    Diagnosis diagnoseOnDemand(AlertContext alert);

    /** Runs the given rules on the alert. */
    Diagnosis run(AlertContext alert, List<Rule> matching);
}
