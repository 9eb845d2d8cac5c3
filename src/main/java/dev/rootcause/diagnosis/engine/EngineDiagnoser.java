package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnoser;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.SenderAlerts;
import dev.rootcause.diagnosis.DiagnosisConfig;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.RuleSet;
import dev.rootcause.rule.RulesConfig;
import dev.rootcause.rule.load.RuleLoader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import dev.rootcause.support.SeverityRank;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The {@link Diagnoser} of the service: picks the rules that apply to an alert from the rule set in force
 * ({@link RuleSelection}: by the symptoms and target the alert was read to have, and the rules' matchers)
 * and runs them with the {@link Engine} on a bounded pool ({@code rootcause.diagnosis.concurrency}).
 */
@ApplicationScoped
public class EngineDiagnoser implements Diagnoser {

    private final RuleLoader rules;
    private final RulesConfig config;
    private final Engine engine;
    private final DiagnosisMeters meters;

    EngineDiagnoser(RuleLoader rules, RulesConfig config, DiagnosisConfig diagnosis, ServiceSteps steps, MeterRegistry registry) {
        this.meters = new DiagnosisMeters(registry);
        this.rules = rules;
        this.config = config;
        this.engine = new Engine(steps.runners(), diagnosis.concurrency(), diagnosis.stepTimeout(),
                new Ranking.Policy(diagnosis.ranking().maxLead(), diagnosis.ranking().lateAfter()),
                new Engine.Limits(diagnosis.maxQueries(), diagnosis.deadline()));
    }

    void onStop(@Observes ShutdownEvent event) {
        engine.close();
    }

    @Override
    public boolean ready() {
        return rules.firstLoadEnded();
    }

    @Override
    public Diagnosis diagnose(AlertContext alert) {
        return diagnose(alert, alert.labels().get("severity"), n -> { });
    }

    @Override
    public Diagnosis diagnose(AlertContext alert, String severity, IntConsumer onQueued) {
        return meters.measure("alert", () -> diagnoseNow(alert, severity, onQueued));
    }

    private Diagnosis diagnoseNow(AlertContext alert, String severity, IntConsumer onQueued) {
        if (SenderAlerts.grafanaTest(alert) || SenderAlerts.monitoringFailure(alert).isPresent()) {
            // the alerting itself is what to look at: no rule may read a failed query as a slow service
            return new Diagnosis(alert, List.of(), List.of(), List.of(), null, List.of(), alert.annotations().get("runbook_url"),
                    List.of());
        }
        RuleSelection selection = RuleSelection.of(ruleSet().rules(), alert);
        return engine.run(alert, selection.rules(), config.vars(), selection.notRun(), selection.unselectedLayers(),
                new Engine.Request(SeverityRank.priority(severity), onQueued));
    }

    /** Served like a {@code warning}: a person is waiting, but not before a critical alert's diagnosis. */
    @Override
    public Diagnosis diagnoseOnDemand(AlertContext alert) {
        return meters.measure("on_demand", () -> onDemand(alert, ruleSet().rules().stream().filter(Rule::ondemand).toList()));
    }

    private Diagnosis onDemand(AlertContext alert, List<Rule> rules) {
        return engine.run(alert, rules, config.vars(), List.of(), Map.of(), new Engine.Request(SeverityRank.priority("warning"), n -> { }));
    }

    private RuleSet ruleSet() {
        return rules.current().orElseThrow(() -> new IllegalStateException("no rule set: " + rules.unavailableReason()));
    }

    @Override
    public Diagnosis run(AlertContext alert, List<Rule> matching) {
        return onDemand(alert, matching);
    }
}
