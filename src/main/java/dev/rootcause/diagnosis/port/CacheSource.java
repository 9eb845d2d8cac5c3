package dev.rootcause.diagnosis.port;

import java.time.Duration;

/**
 * A cache read directly (Redis {@code INFO}), per service. The adapter knows which instance serves a
 * service and how to log in; credentials never reach evidence.
 */
public interface CacheSource {

    /**
     * Two {@code INFO} snapshots of the service's cache, taken {@code interval} apart on one connection,
     * so counters can be turned into rates.
     *
     * @param interval the wait between the two snapshots (the adapter's pause; tests make it instant)
     * @return the two snapshots, earlier first
     * @throws CacheSourceException status {@code skipped} when no instance is configured for the service,
     *                              {@code error} when it refuses (connection refused, NOAUTH, WRONGPASS),
     *                              {@code timeout} when it does not answer in time
     */
    Samples sample(String service, Duration interval) throws CacheSourceException;

    /**
     * Where the service's cache is, as shown in evidence, e.g. {@code INFO redis://10.0.0.5:6379/0}:
     * host, port and database only (never user or password); null when none is configured.
     */
    String describe(String service);

    /** The backend's name for evidence, e.g. {@code redis}. */
    String name();

    /** Two snapshots of one instance, {@code first} taken before {@code second}. */
    record Samples(CacheInfo first, CacheInfo second) {
    }
}
