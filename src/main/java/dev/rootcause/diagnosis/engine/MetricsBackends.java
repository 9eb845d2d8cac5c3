package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.port.MetricsBackend;
import dev.rootcause.diagnosis.port.MetricsSource;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the metrics backend by configuration: {@code rootcause.sources.metrics.kind} ({@code prometheus}, the
 * default, or {@code datadog}) names the {@link MetricsBackend} whose {@link MetricsSource#name()} it is; that one is
 * the {@link MetricsSource} every step, the convention resolver and the graph's metric edge sources read.
 */
@Singleton
public class MetricsBackends {

    /**
     * @throws IllegalStateException at start when no backend has that name, naming the ones there are
     */
    @Produces
    @Singleton
    MetricsSource metrics(@Any Instance<MetricsBackend> backends,
            @ConfigProperty(name = "rootcause.sources.metrics.kind", defaultValue = "prometheus") String kind) {
        List<String> names = new ArrayList<>();
        for (MetricsBackend b : backends) {
            if (b.name().equals(kind)) {
                return b;
            }
            names.add(b.name());
        }
        throw new IllegalStateException("rootcause.sources.metrics.kind=" + kind + ": no such metrics backend (known: "
                + names + "; datadog needs its adapter's keys, see docs/datadog.md)");
    }
}
