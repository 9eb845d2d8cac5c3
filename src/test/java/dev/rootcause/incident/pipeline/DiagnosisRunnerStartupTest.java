package dev.rootcause.incident.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnoser;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentConfig;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.rule.Rule;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * An incident due for diagnosis right after start-up (a stored delivery processed before the rules loaded) is
 * neither claimed nor diagnosed until the diagnoser is ready: it stays due and a later pass takes it, instead of
 * getting a final "no rule set: not loaded yet" report.
 */
class DiagnosisRunnerStartupTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    /** A diagnoser whose rule set loads when the test says; it must never be asked to diagnose before. */
    static final class StartingDiagnoser implements Diagnoser {
        boolean loaded;
        int asked;

        @Override
        public boolean ready() {
            return loaded;
        }

        @Override
        public Diagnosis diagnose(AlertContext alert) {
            return diagnose(alert, null, n -> { });
        }

        @Override
        public Diagnosis diagnose(AlertContext alert, String severity, IntConsumer onQueued) {
            asked++;
            throw new IllegalStateException("no rule set: not loaded yet");
        }

        @Override
        public Diagnosis diagnoseOnDemand(AlertContext alert) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Diagnosis run(AlertContext alert, List<Rule> matching) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aDueIncidentWaitsUnclaimedUntilTheRulesAreLoaded() {
        List<String> calls = new ArrayList<>();
        ReportRepository reports = fake(ReportRepository.class, (name, args) -> {
            calls.add(name);
            return switch (name) {
                case "due" -> List.of(65L);
                case "claimDiagnosis" -> false; // taken by another replica: this pass ends without diagnosing
                default -> throw new AssertionError("unexpected " + name);
            };
        });
        IncidentRepository incidents = fake(IncidentRepository.class, (name, args) -> {
            assertThat(name).isEqualTo("find");
            return Optional.of(incident(65));
        });
        IncidentConfig config = fake(IncidentConfig.class, (name, args) -> switch (name) {
            case "lease" -> Duration.ofSeconds(30);
            case "pollInterval" -> Duration.ofSeconds(2);
            default -> throw new AssertionError("unexpected " + name);
        });
        StartingDiagnoser diagnoser = new StartingDiagnoser();
        DiagnosisRunner runner = new DiagnosisRunner(incidents, reports, diagnoser, null, null, config,
                Clock.fixed(NOW, ZoneOffset.UTC), null, null);

        runner.drain();
        runner.drain();
        assertThat(calls).as("no claim, no report, no cleared due flag before the rules load").isEmpty();
        assertThat(diagnoser.asked).isZero();

        diagnoser.loaded = true;
        runner.drain();
        assertThat(calls).containsExactly("due", "claimDiagnosis");
    }

    private static Incident incident(long id) {
        return new Incident(id, "alertmanager", "{}:{alertname=\"HighLatency\"}", 1, "rootcause", null, "HighLatency",
                "open", "critical", NOW, NOW, null, null, null, null, 1, 0, Map.of(), Map.of("service", "checkout"), Map.of(),
                null, null, null, null);
    }

    interface Answer {
        Object call(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? type.getSimpleName() : method.invoke(answer, args);
            }
            return answer.call(method.getName(), args);
        });
    }
}
