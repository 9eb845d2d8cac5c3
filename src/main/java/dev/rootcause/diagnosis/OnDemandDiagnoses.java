package dev.rootcause.diagnosis;

import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.alert.reading.Target;
import dev.rootcause.rule.Durations;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.load.RuleLoader;
import dev.rootcause.support.StrictJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Diagnoses asked for by people ({@code POST /api/v1/diagnose}, Discord's {@code /diagnose}): the rules
 * marked {@code ondemand} (or one named rule) for a synthetic alert on a service that started
 * {@code window} ago. Nothing is stored. At most {@code rootcause.diagnosis.ondemand-concurrency} run at
 * once, so people asking cannot crowd out incident diagnoses.
 */
@ApplicationScoped
public class OnDemandDiagnoses {

    /** The longest window one may ask about. */
    public static final Duration MAX_WINDOW = Duration.ofDays(7);
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(30);
    /** Longest service name, in characters. */
    public static final int MAX_SERVICE = 200;

    private final Diagnoser diagnoser;
    private final RuleLoader rules;
    private final DiagnosisConfig config;
    private final Semaphore running;
    private final Clock clock;

    OnDemandDiagnoses(Diagnoser diagnoser, RuleLoader rules, DiagnosisConfig config, Clock clock) {
        this.diagnoser = diagnoser;
        this.rules = rules;
        this.config = config;
        this.running = new Semaphore(config.ondemandConcurrency());
        this.clock = clock;
    }

    /** A request that cannot run as given: {@code field} names what to fix. */
    public static class InvalidRequest extends RuntimeException {
        private final String field;

        public InvalidRequest(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** All on-demand slots are taken; retry in a few seconds. */
    public static class Busy extends RuntimeException {
        Busy(int limit) {
            super("already running " + limit + " on-demand diagnoses (rootcause.diagnosis.ondemand-concurrency); retry shortly");
        }
    }

    /** The diagnosis and the title of its report. */
    public record Result(String title, Diagnosis diagnosis) {
    }

    /**
     * Parses a window like {@code 30m}, {@code 2h}; null means the default (30m).
     *
     * @throws InvalidRequest naming {@code window}
     */
    public static Duration window(String text) {
        if (text == null) {
            return DEFAULT_WINDOW;
        }
        Duration window;
        try {
            window = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("window", e.getMessage());
        }
        if (window.compareTo(MAX_WINDOW) > 0) {
            throw new InvalidRequest("window", "at most 7d");
        }
        return window;
    }

    /**
     * Runs the diagnosis; blocks until every step ended (each has its timeout).
     *
     * @param rule a rule id to run alone, or null for every on-demand rule
     * @throws InvalidRequest naming {@code service} or {@code rule}
     * @throws Busy           when all slots are taken
     */
    public Result run(String service, Duration window, String rule) {
        List<Rule> chosen = check(service, rule);
        if (!running.tryAcquire()) {
            throw new Busy(config.ondemandConcurrency());
        }
        try {
            Instant now = clock.instant();
            String title = "On-demand diagnosis of " + service + " over the last " + Durations.format(window);
            AlertContext alert = new AlertContext(title, Map.of("service", service, "alertname", "OnDemand"), Map.of(),
                    now.minus(window), now, true).withReading(reading(service));
            return new Result(title, chosen == null ? diagnoser.diagnoseOnDemand(alert) : diagnoser.run(alert, chosen));
        } finally {
            running.release();
        }
    }

    /**
     * How an on-demand request reads: no symptom (a person asked; nothing fired), the service asked about as
     * the target.
     */
    static AlertReading reading(String service) {
        return new AlertReading(List.of(), Target.NONE.with("service", service, "the /diagnose request"), null, null);
    }

    /**
     * Checks a request without running it.
     *
     * @return the named rule, or null for the on-demand rules
     * @throws InvalidRequest naming {@code service} or {@code rule}
     */
    public List<Rule> check(String service, String rule) {
        if (service == null || service.isBlank() || service.length() > MAX_SERVICE) {
            throw new InvalidRequest("service", "expected 1-" + MAX_SERVICE + " characters, got "
                    + (service == null ? 0 : service.length()));
        }
        if (StrictJson.unstorable(service) != null) {
            throw new InvalidRequest("service", StrictJson.unstorable(service));
        }
        List<Rule> chosen = null;
        if (rule != null) {
            var set = rules.current().orElseThrow(() -> new IllegalStateException("no rule set: " + rules.unavailableReason()));
            chosen = set.rules().stream().filter(r -> r.id().equals(rule)).toList();
            if (chosen.isEmpty()) {
                throw new InvalidRequest("rule", "no rule \"" + rule + "\"; rules: "
                        + String.join(", ", set.rules().stream().map(Rule::id).toList()));
            }
        }
        return chosen;
    }
}
