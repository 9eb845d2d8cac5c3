package dev.rootcause.ruletest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.ServiceCatalogue;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The rule-test command knows exactly the step types the service registers: a rule that loads in one loads in the other. */
@QuarkusTest
class StepTypesParityTest {

    @Inject
    RegisteredStepTypes service;

    @Test
    void cliStepTypesAreTheServicesStepTypes() throws Exception {
        var cli = new RegisteredStepTypes(RuleTestRunner.stepRunners(ServiceCatalogue.empty(), MetricConventions.empty()));
        assertThat(cli.names()).isEqualTo(service.names()).contains("metrics.compare", "cache.hit_ratio", "traces.errors",
                "logs.count", "probe.http", "changes.latest", "network.phases");
    }
}
