package dev.rootcause.rule.vocabulary;

import dev.rootcause.alert.reading.AlertReader;
import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.rule.ServiceCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Reads alerts with the vocabulary and the service catalogue in force (both hot-reloaded): what intake's
 * processing and the rule tests ask before choosing rules.
 */
@ApplicationScoped
public class AlertReadings {

    private final SymptomVocabulary vocabulary;
    private final ServiceCatalogue catalogue;

    public AlertReadings(SymptomVocabulary vocabulary, ServiceCatalogue catalogue) {
        this.vocabulary = vocabulary;
        this.catalogue = catalogue;
    }

    /**
     * How this alert reads now.
     *
     * @param generatorUrl the alert's {@code generatorURL} (its expression is {@code g0.expr}), or null
     */
    public AlertReading read(Map<String, String> labels, Map<String, String> annotations, String generatorUrl) {
        return reader().read(labels, annotations, generatorUrl);
    }

    /** A reader over the vocabulary and catalogue in force now. */
    public AlertReader reader() {
        return reader(vocabulary, catalogue);
    }

    /** A reader over this vocabulary and catalogue, for tools that load them from files. */
    public static AlertReader reader(SymptomVocabulary vocabulary, ServiceCatalogue catalogue) {
        List<AlertReader.CatalogueService> services = catalogue.services().stream()
                .map(s -> new AlertReader.CatalogueService(s.name(), s.labels())).toList();
        return new AlertReader(vocabulary.current(), services);
    }
}
