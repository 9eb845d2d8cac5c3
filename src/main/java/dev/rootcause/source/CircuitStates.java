package dev.rootcause.source;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
 * 1 half-open, 2 open. Fed by SmallRye Fault Tolerance's {@code onStateChange} of each guard, which adapters build
 * with {@code new} (no CDI), hence the static table; the service's {@link MeterRegistry} is bound at start, and
 * {@code prometheus} (always configured) is there from the start, closed, so its alert rule has a series.
 */
@ApplicationScoped
public class CircuitStates {

    private static final Map<String, List<AtomicInteger>> BY_SOURCE = new ConcurrentHashMap<>();
    private static volatile MeterRegistry registry;

    void bind(@Observes StartupEvent start, MeterRegistry meters) {
        registry = meters;
        circuits("prometheus");
        BY_SOURCE.forEach(CircuitStates::register);
    }

    /**
     * A new circuit of a backend, closed.
     *
     * @param source the backend, as the query metrics name it ({@code prometheus}, {@code zipkin}, {@code redis} …;
     *               lower-cased here)
     * @return the listener to pass to the guard's {@code onStateChange}
     */
    public static Consumer<CircuitBreakerState> track(String source) {
        AtomicInteger state = new AtomicInteger();
        circuits(source.toLowerCase(Locale.ROOT)).add(state);
        return s -> state.set(code(s));
    }

    private static List<AtomicInteger> circuits(String source) {
        return BY_SOURCE.computeIfAbsent(source, s -> {
            List<AtomicInteger> circuits = new CopyOnWriteArrayList<>();
            register(s, circuits);
            return circuits;
        });
    }

    private static void register(String source, List<AtomicInteger> circuits) {
        MeterRegistry meters = registry;
        if (meters != null) { // before start (a guard built early) the binding at start registers it
            Gauge.builder("rootcause.backend.circuit.state", circuits, CircuitStates::worst).tag("source", source)
                    .description("worst circuit-breaker state of the backend's circuits: 0 closed, 1 half-open, 2 open")
                    .register(meters);
        }
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
