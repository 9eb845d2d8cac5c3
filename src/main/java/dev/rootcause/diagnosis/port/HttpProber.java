package dev.rootcause.diagnosis.port;

import dev.rootcause.rule.ServiceCatalogue;
import java.util.concurrent.CompletableFuture;

/**
 * Probes a catalogued dependency's health URL (the {@code probe.http} step's port). Only a
 * {@link ServiceCatalogue.Dependency} can be probed, so only URLs from {@code services.yaml} are ever
 * called; redirects are not followed (a redirect could lead anywhere).
 */
public interface HttpProber {

    /**
     * GETs the dependency's health URL: each attempt limited to {@code dependency.timeout()}, up to
     * {@code dependency.retries()} more attempts after a timeout, a connection error, a 5xx or a 429
     * (honouring {@code Retry-After} when it fits the budget). The future never completes exceptionally
     * for a failure of the dependency itself: that is the result.
     *
     * @throws ProbeException (through the future) when the prober itself cannot probe, e.g. no recording
     */
    CompletableFuture<ProbeResult> probe(ServiceCatalogue.Dependency dependency);

    /** The prober's name for evidence, e.g. {@code http}. */
    String name();

    /** How a probe ended. */
    enum Outcome {
        /** answered 2xx */
        HEALTHY,
        /** answered, but not 2xx */
        UNHEALTHY,
        /** no answer within the timeout */
        TIMEOUT,
        /** no connection (refused, DNS, TLS, reset) */
        UNREACHABLE;

        /** {@code healthy}, {@code unhealthy}, {@code timeout}, {@code unreachable}. */
        public String wire() {
            return name().toLowerCase();
        }
    }

    /**
     * The last attempt's result.
     *
     * @param dependency    the catalogue's name
     * @param url           the health URL called
     * @param outcome       how the last attempt ended
     * @param statusCode    HTTP status of the last answer, 0 when there was none
     * @param latencyMillis duration of the last attempt in milliseconds (to the answer's headers and body)
     * @param attempts      attempts made, 1 + retries used
     * @param error         why it is not healthy (status and the first 200 characters of the body, or the
     *                      connection error), null when healthy
     */
    record ProbeResult(String dependency, String url, Outcome outcome, int statusCode, double latencyMillis,
            int attempts, String error) {

        public boolean healthy() {
            return outcome == Outcome.HEALTHY;
        }
    }

    /** The prober could not probe at all (not the dependency's fault). */
    class ProbeException extends RuntimeException {

        private final dev.rootcause.diagnosis.Evidence.Status status;

        /** @param message safe to show: never holds credentials */
        public ProbeException(String message) {
            this(dev.rootcause.diagnosis.Evidence.Status.ERROR, message);
        }

        /**
         * @param status how the probe step's evidence ends: {@code error}, or {@code skipped} when the probe was not
         *               made on purpose (the diagnosis' query budget was spent)
         */
        public ProbeException(dev.rootcause.diagnosis.Evidence.Status status, String message) {
            super(message);
            this.status = status;
        }

        public dev.rootcause.diagnosis.Evidence.Status status() {
            return status;
        }
    }
}
