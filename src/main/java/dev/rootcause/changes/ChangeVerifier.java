package dev.rootcause.changes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Durations;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.RulesConfig;
import dev.rootcause.support.BackgroundWorker;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Post-deploy verification: {@code rootcause.changes.verify.delay} after a change, compares each configured
 * check (a {@code metrics.compare} around the change time) and records {@code pass}, {@code fail} or
 * {@code error}. {@code error} (Prometheus down, no samples) never passes: a CI gate must not pass on
 * missing evidence. Due verifications run on a schedule (on their own thread, {@link BackgroundWorker}) and also
 * when their status is read.
 */
@ApplicationScoped
public class ChangeVerifier {

    private static final Logger LOG = Logger.getLogger(ChangeVerifier.class);

    private final ChangeStore store;
    private final MetricsCompareStep compare;
    private final VerifyConfig config;
    private final RulesConfig rules;
    private final Clock clock;
    private final ObjectMapper json;
    private final BackgroundWorker worker = new BackgroundWorker("rootcause-verify", LOG, "running due post-deploy verifications",
            this::pollInterval, this::runDue);

    ChangeVerifier(ChangeStore store, MetricsCompareStep compare, VerifyConfig config, RulesConfig rules, Clock clock, ObjectMapper json) {
        this.store = store;
        this.compare = compare;
        this.config = config;
        this.rules = rules;
        this.clock = clock;
        this.json = json;
    }

    /** Asks for a verification of a stored change, due {@code delay} after its time. Idempotent. */
    public void request(StoredChange stored) {
        store.requestVerification(stored.change().id(), clock.instant(), stored.change().time().plus(config.delay()));
    }

    @Scheduled(every = "${rootcause.changes.verify.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        worker.wake();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        worker.close();
    }

    /** For the worker's failure line; a method because field initialisers may not read {@code config}. */
    private Duration pollInterval() {
        return config.pollInterval();
    }

    private void runDue() {
        for (StoredChange due : store.dueVerifications(clock.instant(), 20)) {
            runIfDue(due);
        }
    }

    /** Runs the verification of this change when it is pending and due; returns the change as stored afterwards. */
    public StoredChange runIfDue(StoredChange stored) {
        StoredChange.Verification v = stored.verification();
        Instant now = clock.instant();
        if (v == null || !"pending".equals(v.status()) || v.dueAt().isAfter(now)) {
            return stored;
        }
        List<Map<String, Object>> checks = new ArrayList<>();
        String verdict = "pass";
        for (Map.Entry<String, VerifyConfig.Check> check : new java.util.TreeMap<>(config.checks()).entrySet()) {
            Evidence e = run(stored, check.getKey(), check.getValue(), now);
            String outcome = outcome(e, check.getValue());
            if (outcome.equals("error") && verdict.equals("pass")) {
                verdict = "error";
            } else if (outcome.equals("fail")) {
                verdict = "fail";
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("check", check.getKey());
            row.put("outcome", outcome);
            row.put("maxRatio", check.getValue().maxRatio());
            row.put("minAfter", check.getValue().minAfter());
            row.put("evidence", e);
            checks.add(row);
        }
        if (checks.isEmpty()) {
            verdict = "error";
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("checks", checks);
        if (checks.isEmpty()) {
            result.put("reason", "no checks configured (rootcause.changes.verify.checks.*)");
        }
        try {
            store.decide(stored.change().id(), verdict, now, json.writeValueAsString(result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return store.find(stored.change().id()).orElseThrow();
    }

    private Evidence run(StoredChange stored, String name, VerifyConfig.Check check, Instant now) {
        Map<String, String> vars = new HashMap<>(rules.vars());
        vars.put("service", stored.change().service());
        Rule.Step step = new Rule.Step(name, compare.type(), List.of(), Map.of("query", check.query(), "at", "alert.startsAt",
                "before", Durations.format(config.before()), "after", Durations.format(config.delay())), null);
        AlertContext context = new AlertContext("verify " + stored.change().id(), Map.of("service", stored.change().service()),
                Map.of(), stored.change().time(), now);
        return compare.run(step, context, vars, Map.of());
    }

    /** {@code fail} when the value rose past the ratio, above the floor and beyond noise; {@code error} without evidence. */
    static String outcome(Evidence e, VerifyConfig.Check check) {
        if (!e.ok()) {
            return "error";
        }
        double before = (Double) e.values().get("before");
        double after = (Double) e.values().get("after");
        boolean beyondNoise = Boolean.TRUE.equals(e.values().get("exceeds_noise"));
        boolean rose = before == 0 ? after > 0 : after > before * check.maxRatio();
        return rose && after > check.minAfter() && beyondNoise ? "fail" : "pass";
    }
}
