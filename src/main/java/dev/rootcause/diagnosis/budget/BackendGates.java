package dev.rootcause.diagnosis.budget;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link BackendGate} per backend name ({@code prometheus}, {@code zipkin}, {@code redis}, {@code http} …),
 * shared by every diagnosis of the service.
 */
public final class BackendGates {

    private final int defaultPermits;
    private final Map<String, Integer> perBackend;
    private final Map<String, BackendGate> gates = new ConcurrentHashMap<>();
    private final QueryObserver observer;

    /**
     * @param defaultPermits queries at once to a backend not named in {@code perBackend}
     *                       ({@code rootcause.diagnosis.backend-concurrency})
     * @param perBackend     backend name → its own limit ({@code rootcause.diagnosis.backend-concurrency-of.<name>})
     */
    public BackendGates(int defaultPermits, Map<String, Integer> perBackend) {
        this(defaultPermits, perBackend, QueryObserver.NONE);
    }

    /** @param observer hears every query's outcome ({@link BackendMeters} in the service) */
    public BackendGates(int defaultPermits, Map<String, Integer> perBackend, QueryObserver observer) {
        this.observer = observer;
        this.defaultPermits = defaultPermits;
        this.perBackend = Map.copyOf(perBackend);
        new BackendGate("default", defaultPermits); // fails fast on a limit below 1
        this.perBackend.forEach(BackendGate::new);
    }

    /** The gate of a backend, made on first use. */
    public BackendGate of(String backend) {
        // the gate made first stays (computeIfAbsent); each knows the observer
        return gates.computeIfAbsent(backend, b -> new BackendGate(b, perBackend.getOrDefault(b, defaultPermits), observer));
    }
}
