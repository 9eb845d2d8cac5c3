package dev.rootcause.diagnosis.budget;

/**
 * Hears every backend query a diagnosis asked for, once it ended: sent and answered, failed, or refused before
 * being sent. The service's is {@link BackendMeters} ({@code /q/metrics}); tests and the rule-test command use
 * {@link #NONE}.
 */
@FunctionalInterface
public interface QueryObserver {

    /** Hears nothing. */
    QueryObserver NONE = (backend, outcome, nanos) -> { };

    /**
     * @param backend the gate's backend name ({@code prometheus}, {@code zipkin}, {@code redis}, {@code http},
     *                {@code changes.<source>} …)
     * @param outcome {@code ok}, {@code error}, {@code timeout} (the backend's answer) or {@code skipped} (not sent:
     *                the diagnosis' query budget spent or its deadline reached)
     * @param nanos   time in the backend call including its retries, nanoseconds; 0 when not sent
     */
    void query(String backend, String outcome, long nanos);
}
