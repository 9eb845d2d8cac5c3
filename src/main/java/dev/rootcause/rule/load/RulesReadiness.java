package dev.rootcause.rule.load;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a rule set is loaded; a set with file errors is still ready (the errors are reported, with those of
 * {@code symptoms.yaml}: {@code errors} counts both, {@code error.N} lists them, so a probe's log shows what to fix).
 */
@Readiness
@ApplicationScoped
public class RulesReadiness implements HealthCheck {

    private final RuleLoader loader;

    RulesReadiness(RuleLoader loader) {
        this.loader = loader;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("rules");
        return loader.withVocabularyErrors()
                .map(set -> {
                    response.up().withData("rules", set.rules().size()).withData("errors", set.errors().size());
                    for (int i = 0; i < Math.min(5, set.errors().size()); i++) {
                        response.withData("error." + (i + 1), set.errors().get(i));
                    }
                    return response.build();
                })
                .orElseGet(() -> response.down().withData("error", loader.unavailableReason()).build());
    }
}
