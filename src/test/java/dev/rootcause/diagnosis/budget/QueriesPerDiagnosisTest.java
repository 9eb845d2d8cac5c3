package dev.rootcause.diagnosis.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.alert.reading.SymptomReading;
import dev.rootcause.alert.reading.Target;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.engine.Engine;
import dev.rootcause.diagnosis.engine.Ranking;
import dev.rootcause.diagnosis.engine.RuleSelection;
import dev.rootcause.diagnosis.engine.RegisteredStepTypes;
import dev.rootcause.diagnosis.engine.StepCatalogue;
import dev.rootcause.diagnosis.engine.StepPorts;
import dev.rootcause.rule.MetricConventions;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.load.RuleLoader;
import dev.rootcause.rule.load.RuleParser;
import dev.rootcause.rule.ServiceCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How many backend queries one diagnosis sends with the shipped rule set ({@code rules/}), counted at fakes of every
 * port: the layered sweep of a latency and of an errors alert on a service, and every shipped rule at once (the
 * widest sweep). Prints the counts before metering (every step asking on its own) and after (the diagnosis' memo),
 * the numbers in BENCHMARKS.md:
 * {@code ./mvnw -B -o test -Dtest=QueriesPerDiagnosisTest -Dsurefire.failIfNoSpecifiedTests=false | grep queries}.
 */
class QueriesPerDiagnosisTest {

    private static final Path RULES = Path.of("rules");
    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant NOW = START.plus(Duration.ofMinutes(5));


    /**
     * An alert read as {@code symptom} on service checkout whose labels name every kind of target, so the selection
     * is the widest the symptom allows ({@code all}: every shipped rule, however it is selected).
     */
    private static AlertContext alert(String symptom) {
        AlertContext alert = new AlertContext("checkout " + symptom, Map.of("alertname", "TeamA-Page-7", "service", "checkout",
                "namespace", "shop", "pod", "checkout-7d9f-1", "container", "checkout", "instance", "10.0.0.5:9100",
                "node", "node-1", "severity", "critical"), Map.of(), START, NOW);
        if (symptom.equals("all")) {
            return alert;
        }
        Target target = new Target(Map.of("service", "checkout", "namespace", "shop", "pod", "checkout-7d9f-1",
                "container", "checkout", "instance", "10.0.0.5:9100", "node", "node-1"), Map.of("service", "label service"));
        return alert.withReading(new AlertReading(List.of(new SymptomReading(Symptom.of(symptom), SymptomReading.From.EXPRESSION,
                "test")), target, null, null));
    }

    private record Run(int sent, Diagnosis diagnosis, List<String> asked) {
    }

    private static Run run(String symptom, boolean metered, Engine.Limits limits) throws Exception {
        ServiceCatalogue catalogue = ServiceCatalogue.load(RULES.resolve(ServiceCatalogue.FILE));
        MetricConventions conventions = MetricConventions.load(RULES.resolve(MetricConventions.FILE));
        CountingPorts fakes = new CountingPorts(START);
        StepPorts ports = metered ? fakes.metered(catalogue, conventions, new BackendGates(4, Map.of())) : fakes.raw(catalogue, conventions);
        var runners = StepCatalogue.build(ports);
        List<Rule> rules = new ArrayList<>();
        try (Stream<Path> files = Files.list(RULES)) {
            for (Path f : files.filter(RuleLoader::isRuleFile).sorted().toList()) {
                Rule r = RuleParser.parseFile(f, f.getFileName().toString(), new RegisteredStepTypes(runners), Set.of("rate_window"));
                rules.add(r);
            }
        }
        try (Engine engine = new Engine(runners, 8, Duration.ofSeconds(30), Ranking.Policy.DEFAULT, limits)) {
            AlertContext alert = alert(symptom);
            List<Rule> selected = symptom.equals("all") ? rules : RuleSelection.of(rules, alert).rules();
            Diagnosis d = engine.run(alert, selected, Map.of("rate_window", "1m"));
            return new Run(fakes.asked.size(), d, List.copyOf(fakes.asked));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"latency", "errors", "all"})
    void aDiagnosisStaysWithinThirtyQueries(String symptom) throws Exception {
        Run before = run(symptom, false, Engine.Limits.NONE);
        Run after = run(symptom, true, Engine.Limits.NONE);
        Run bounded = run(symptom, true, new Engine.Limits(30, Duration.ofSeconds(3)));
        System.out.printf("queries per diagnosis (%s sweep, %d rules): %d before metering, %d with the memo, %d within the budget%n",
                symptom, after.diagnosis().rules().size(), before.sent(), after.sent(), bounded.sent());
        after.asked().stream().sorted().forEach(q -> System.out.println("  " + q));

        assertThat(after.sent()).as("the memo never sends more than the steps asked").isLessThanOrEqualTo(before.sent());
        assertThat(after.asked()).as("a query asked twice in one diagnosis is sent once").doesNotHaveDuplicates();
        assertThat(after.asked()).as("the metric convention is detected once per diagnosis, not per step")
                .filteredOn(q -> q.contains("\"convention\"")).hasSize(1);
        assertThat(bounded.sent()).isLessThanOrEqualTo(30);
        // what the budget did not send is said, never silently dropped
        // (a step skipped for it, or a step that asks several queries — the graph walk — saying which it could not ask)
        boolean budgetSaid = bounded.diagnosis().evidence().stream()
                .anyMatch(e -> e.status() == Evidence.Status.SKIPPED && "query budget of 30 spent".equals(e.reason())
                        || String.valueOf(e.values()).contains("query budget of 30 spent"));
        // (with a walk selected, part of the budget is set aside for it: the other checks may be refused even when
        // all asked together would have fit, and that is said too)
        assertThat(budgetSaid).as("the budget's refusals are said in the evidence").isEqualTo(bounded.sent() < after.sent());
        assertThat(bounded.diagnosis().layers()).hasSize(4);
    }
}
