package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.rule.StepTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The step types of the {@link StepRunner}s present: what rule loading checks steps against. */
@ApplicationScoped
public class RegisteredStepTypes implements StepTypes {

    private final Map<String, StepRunner> byType = new HashMap<>();

    /** The service's step types. */
    @Inject
    RegisteredStepTypes(ServiceSteps steps) {
        this(steps.runners());
    }

    /** @param runners a tool's own (the rule-test command) or a test's */
    public RegisteredStepTypes(List<StepRunner> runners) {
        runners.forEach(r -> byType.put(r.type(), r));
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(byType.keySet());
    }

    /** The runner's outputs plus {@code ok} and {@code status}, which the engine adds to every step. */
    @Override
    public Map<String, Object> outputs(String type) {
        Map<String, Object> out = new LinkedHashMap<>(byType.get(type).outputs());
        out.put("ok", true);
        out.put("status", "ok");
        return out;
    }

    @Override
    public Map<String, String> deprecatedOutputs(String type) {
        return byType.get(type).deprecatedOutputs();
    }

    @Override
    public void check(String type, Map<String, Object> with) {
        byType.get(type).check(with);
    }
}
