package dev.rootcause.source;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The state of every backend's circuit breakers on {@code /q/metrics}: {@code rootcause_backend_circuit_state{source}}
 * is the worst state among the circuits of that backend (Zipkin has two, Redis one per service): 0 closed,
 * 1 half-open, 2 open. Fed by SmallRye Fault Tolerance's {@code onStateChange} of each guard; the gauge is
 * registered in Micrometer's global registry, which Quarkus' {@code MeterRegistry} is.
 */
public final class CircuitStates {

    private static final Map<String, List<AtomicInteger>> BY_SOURCE = new ConcurrentHashMap<>();

    private CircuitStates() {
    }

    /**
     * A new circuit of a backend, closed.
     *
     * @param source the backend, as the query metrics name it ({@code prometheus}, {@code zipkin}, {@code redis} …;
     *               lower-cased here)
     * @return the listener to pass to the guard's {@code onStateChange}
     */
    public static Consumer<CircuitBreakerState> track(String source) {
        String name = source.toLowerCase(Locale.ROOT);
        AtomicInteger state = new AtomicInteger();
        BY_SOURCE.computeIfAbsent(name, s -> {
            List<AtomicInteger> circuits = new CopyOnWriteArrayList<>();
            Gauge.builder("rootcause.backend.circuit.state", circuits, CircuitStates::worst).tag("source", s)
                    .description("worst circuit-breaker state of the backend's circuits: 0 closed, 1 half-open, 2 open")
                    .register(Metrics.globalRegistry);
            return circuits;
        }).add(state);
        return s -> state.set(code(s));
    }

    static int code(CircuitBreakerState s) {
        return switch (s) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    private static double worst(List<AtomicInteger> circuits) {
        return circuits.stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }
}
