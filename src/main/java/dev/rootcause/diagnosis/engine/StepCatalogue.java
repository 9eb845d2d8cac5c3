package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.cache.CacheHitRatioStep;
import dev.rootcause.diagnosis.step.changes.ChangesDiffStep;
import dev.rootcause.diagnosis.step.changes.ChangesLatestStep;
import dev.rootcause.diagnosis.step.graph.GraphWalkStep;
import dev.rootcause.diagnosis.step.items.ItemsCompareStep;
import dev.rootcause.diagnosis.step.items.ItemsDownstreamsStep;
import dev.rootcause.diagnosis.step.logs.LogsCountStep;
import dev.rootcause.diagnosis.step.logs.LogsTopPatternsStep;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareByStep;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.diagnosis.step.metrics.MetricsQueryStep;
import dev.rootcause.diagnosis.step.metrics.MetricsRangeStep;
import dev.rootcause.diagnosis.step.network.NetworkPhasesStep;
import dev.rootcause.diagnosis.step.network.NetworkRetransmitsStep;
import dev.rootcause.diagnosis.step.probes.ProbeHttpStep;
import dev.rootcause.diagnosis.step.traces.TracesErrorsStep;
import dev.rootcause.diagnosis.step.traces.TracesSlowestDependencyStep;
import java.util.List;

/**
 * Which step types exist and which ports each is built from: the one list both the service
 * ({@link ServiceSteps}) and the rule-test command build theirs from, so a step type cannot exist in one and
 * be missing in the other. A new step type is one line here.
 */
public final class StepCatalogue {

    private StepCatalogue() {
    }

    /** Every step type, built over {@code p}; a new list each call (the runners hold no state across diagnoses). */
    public static List<StepRunner> build(StepPorts p) {
        return List.of(
                new MetricsCompareStep(p.metrics(), p.conventions()),
                new MetricsQueryStep(p.metrics(), p.conventions()),
                new MetricsCompareByStep(p.metrics(), p.conventions()),
                new MetricsRangeStep(p.metrics()),
                new NetworkPhasesStep(p.metrics()),
                new NetworkRetransmitsStep(p.metrics()),
                new CacheHitRatioStep(p.cache()),
                new ItemsCompareStep(p.items()),
                new ItemsDownstreamsStep(p.items(), p.graph()),
                new TracesSlowestDependencyStep(p.traces()),
                new TracesErrorsStep(p.traces()),
                new LogsCountStep(p.logs()),
                new LogsTopPatternsStep(p.logs()),
                new ProbeHttpStep(p.catalogue(), p.prober()),
                new ChangesLatestStep(p.changes()),
                new ChangesDiffStep(p.changes()),
                new GraphWalkStep(p.metrics(), p.conventions(), p.catalogue(), p.changes(), p.prober(), p.graph()));
    }
}
