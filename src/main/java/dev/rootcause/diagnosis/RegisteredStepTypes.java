package dev.rootcause.diagnosis;

import dev.rootcause.rule.StepTypes;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The step types of the {@link StepRunner} beans present. */
@ApplicationScoped
public class RegisteredStepTypes implements StepTypes {

    private final Set<String> names;

    RegisteredStepTypes(@All List<StepRunner> runners) {
        this.names = runners.stream().map(StepRunner::type).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Set<String> names() {
        return names;
    }
}
