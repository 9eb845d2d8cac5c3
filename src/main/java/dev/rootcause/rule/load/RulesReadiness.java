package dev.rootcause.rule.load;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once a rule set is loaded; a set with file errors is still ready (the errors are reported). */
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
        return loader.current()
                .map(set -> response.up().withData("rules", set.rules().size())
                        .withData("errors", set.errors().size()).build())
                .orElseGet(() -> response.down().withData("error", loader.unavailableReason()).build());
    }
}
