package dev.rootcause.diagnosis.graph;

import dev.rootcause.rule.ServiceCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The service catalogue's {@code dependencies} ({@code services.yaml}) as edges: every listed dependency, with
 * or without a health URL, is a callee of its service. Origin {@code catalogue}. Never fails: a catalogue that
 * did not load keeps the last good one in force.
 */
@ApplicationScoped
public class CatalogueEdges implements EdgeSource {

    /** The origin of catalogue edges. */
    public static final String NAME = "catalogue";

    private final ServiceCatalogue catalogue;

    CatalogueEdges(ServiceCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<DependencyEdge> edges(Instant since, Instant until) {
        List<DependencyEdge> out = new ArrayList<>();
        for (ServiceCatalogue.Service s : catalogue.services()) {
            for (ServiceCatalogue.Dependency d : s.dependencies()) {
                out.add(new DependencyEdge(s.name(), d.name(), Set.of(NAME)));
            }
        }
        return out;
    }
}
