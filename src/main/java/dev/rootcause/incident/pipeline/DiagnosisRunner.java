package dev.rootcause.incident.pipeline;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.AlertGroup;
import dev.rootcause.diagnosis.Diagnoser;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.ClaimLostException;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentConfig;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.effect.TicketLifecycle;
import dev.rootcause.incident.outbox.EffectKind;
import dev.rootcause.incident.outbox.Outbox;
import dev.rootcause.report.Report;
import dev.rootcause.report.ReportOutliner;
import dev.rootcause.report.render.MarkdownRenderer;
import dev.rootcause.rule.vocabulary.AlertReadings;
import dev.rootcause.support.BackgroundWorker;
import dev.rootcause.support.SeverityRank;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Diagnoses incidents marked due (on open and reopen), on one background thread: runs the matching
 * rules and stores the report together with its effects (open the ticket, post the report) in the
 * outbox, which delivers them. The due flag is cleared in the same transaction, so a crash
 * mid-diagnosis means it runs again (after restart, or on another replica once the lease ran out), and a
 * crash after it loses no effect. Each diagnosis is {@link ReportRepository#claimDiagnosis claimed} first
 * with a token and {@code rootcause.incidents.lease}; the report is stored only while the token still holds,
 * so replicas sharing the store diagnose each incident change once.
 */
@ApplicationScoped
public class DiagnosisRunner {

    private static final Logger LOG = Logger.getLogger(DiagnosisRunner.class);

    private final IncidentRepository incidents;
    private final ReportRepository reports;
    private final Diagnoser diagnoser;
    private final Outbox outbox;
    private final OutboxDispatcher effects;
    private final IncidentConfig config;
    private final Clock clock;
    private final TicketLifecycle tickets;
    private final AlertReadings readings;
    private final BackgroundWorker worker = new BackgroundWorker("rootcause-diagnosis", LOG, "looking for incidents to diagnose",
            this::pollInterval, this::drain);

    DiagnosisRunner(IncidentRepository incidents, ReportRepository reports, Diagnoser diagnoser, Outbox outbox,
            OutboxDispatcher effects, IncidentConfig config, Clock clock, TicketLifecycle tickets, AlertReadings readings) {
        this.incidents = incidents;
        this.reports = reports;
        this.diagnoser = diagnoser;
        this.outbox = outbox;
        this.effects = effects;
        this.config = config;
        this.clock = clock;
        this.tickets = tickets;
        this.readings = readings;
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        worker.close();
    }

    @Scheduled(every = "${rootcause.incidents.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    /** For the worker's failure line; a method because field initialisers may not read {@code config}. */
    private Duration pollInterval() {
        return config.pollInterval();
    }

    /** Asks for a pass over the incidents due for diagnosis; returns at once. */
    public void wake() {
        if (config.processingEnabled()) {
            worker.wake();
        }
    }

    /**
     * The due incidents, most severe first (a storm's critical groups are not diagnosed after its warnings). None
     * while the diagnoser is not {@link Diagnoser#ready() ready} (start-up, rules not loaded yet): they stay due,
     * unclaimed, and a later pass (every {@code rootcause.incidents.poll-interval}) takes them.
     */
    void drain() {
        if (!diagnoser.ready()) {
            LOG.debug("the rule set is not loaded yet; due incidents wait for a later pass");
            return;
        }
        List<Incident> due = reports.due(20, clock.instant()).stream().map(id -> incidents.find(id).orElseThrow())
                .sorted(Comparator.comparingInt(i -> SeverityRank.priority(i.severity()))).toList();
        for (Incident incident : due) {
            String token = UUID.randomUUID().toString();
            if (claim(incident.id(), token)) { // else another replica has it
                diagnose(incident.id(), token);
            }
        }
    }

    /** One claim, one short transaction of its own: the row lock is not held while the diagnosis runs. */
    @Transactional(value = Transactional.TxType.REQUIRES_NEW, rollbackOn = Exception.class)
    boolean claim(long id, String token) {
        Instant now = clock.instant();
        return reports.claimDiagnosis(id, token, now.plus(config.lease()), now);
    }

    private void diagnose(long id, String token) {
        Incident incident = incidents.find(id).orElseThrow();
        List<Alert> alerts = incidents.alerts(id);
        AlertContext context = context(incident, alerts, clock.instant());
        Diagnosis diagnosis;
        try {
            String generatorUrl = representative(alerts).map(Alert::generatorUrl).orElse(null);
            context = context.withReading(readings.read(context.labels(), context.annotations(), generatorUrl));
            diagnosis = diagnoser.diagnose(context, incident.severity(), ahead -> queued(id, ahead));
        } catch (RuntimeException e) {
            // No diagnosis (e.g. no rules folder) must not hide the alert: report that, file the ticket. Not retried:
            // start-up ordering is ruled out in drain(), and what else throws here is lasting (a retry would loop).
            LOG.errorf(e, "diagnosis of incident %d failed", id);
            diagnosis = new Diagnosis(context, List.of(), List.of(), List.of(), null,
                    List.of("diagnosis failed: " + e.getMessage()), context.annotations().get("runbook_url"), List.of());
        }
        Report report = new Report(id, incident.title(), incident.severity(), clock.instant(), diagnosis,
                MarkdownRenderer.render(ReportOutliner.outline(incident.title(), incident.severity(), id, diagnosis)));
        try {
            saveReport(report, token);
        } catch (ClaimLostException lost) {
            LOG.infof("the diagnosis of incident %d passed to another replica or was asked for anew; this one is not stored", id);
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "storing the report of incident %d failed", id);
            failed(id, token, e);
            return;
        }
        effects.wake();
    }

    /**
     * The report, its timeline entry and its effects at once: the ticket (one per incident, if the
     * policy opens one) or a comment on it when the root cause changed, and one chat post per report.
     */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    void saveReport(Report report, String token) {
        reports.holdDiagnosis(report.incidentId(), token); // fencing: throws when the claim is no longer ours
        Incident before = incidents.find(report.incidentId()).orElseThrow();
        boolean hadReport = reports.latest(report.incidentId()).isPresent();
        long reportId = reports.save(report);
        tickets.reportSaved(before, hadReport, before.rootCause(), reportId, report);
        outbox.enqueue(report.incidentId(), reportId, EffectKind.POST_REPORT, "chat.report/report-" + reportId);
        var rc = report.diagnosis().rootCause();
        incidents.addTimeline(report.incidentId(), report.createdAt(), "diagnosed", "rootcause",
                (rc == null ? "no root cause determined" : "root cause (" + rc.confidence() + "): " + rc.summary())
                        + (report.partial() ? "; partial: " + String.join("; ", report.diagnosis().partial()) : ""));
    }

    /**
     * Its diagnosis waits for a backend slot behind {@code ahead} others: a timeline entry, and a line in the
     * incident's chat thread once per incident (the fixed idempotency key), shown when the incident has a message.
     * Called on a step's thread; a store failure is logged, never fails the diagnosis.
     */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    void queued(long id, int ahead) {
        try {
            String text = "diagnosis queued behind " + ahead + " other" + (ahead == 1 ? "" : "s")
                    + " (backends at their concurrency limit; most severe first)";
            if (outbox.enqueue(id, null, EffectKind.CHAT_THREAD, EffectKind.CHAT_THREAD.wire() + "/incident-" + id + "/diagnosis-queued", text)) {
                incidents.addTimeline(id, clock.instant(), "diagnosis_queued", "rootcause", text);
                effects.wake();
            }
        } catch (StoreException e) {
            LOG.warnf(e, "recording that the diagnosis of incident %d is queued failed", id);
        }
    }

    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    void failed(long id, String token, Exception e) {
        try {
            reports.holdDiagnosis(id, token);
            reports.clearDue(id);
            incidents.addTimeline(id, clock.instant(), "diagnosis_failed", "rootcause", String.valueOf(e));
        } catch (ClaimLostException lost) {
            LOG.infof("the diagnosis of incident %d passed to another replica", id);
        } catch (StoreException store) {
            LOG.errorf(store, "recording the failed diagnosis of incident %d failed", id);
        }
    }

    /**
     * The alert a diagnosis is about: the first firing alert's labels under the group's common ones, standing for the
     * group (its size, the alerts the sender left out, the labels that vary). When the first alert's {@code startsAt}
     * lies more than {@link AlertGroup#SKEW_TOLERANCE} after we opened the incident, the sender's clock is ahead of
     * ours: the diagnosis is anchored at our receipt instead, so its "after" window is not in our future, and the
     * skew is kept for the report to state.
     */
    static AlertContext context(Incident incident, List<Alert> alerts, Instant now) {
        Map<String, String> labels = new HashMap<>();
        Map<String, String> annotations = new HashMap<>();
        Instant startsAt = incident.openedAt();
        Optional<Alert> first = representative(alerts);
        if (first.isPresent()) {
            labels.putAll(first.get().labels());
            annotations.putAll(first.get().annotations());
            startsAt = first.get().startsAt();
        }
        labels.putAll(incident.commonLabels());
        annotations.putAll(incident.commonAnnotations());
        long skew = 0;
        Instant sent = null;
        if (incident.openedAt() != null && startsAt.isAfter(incident.openedAt().plus(AlertGroup.SKEW_TOLERANCE))) {
            skew = Duration.between(incident.openedAt(), startsAt).toSeconds();
            sent = startsAt;
            startsAt = incident.openedAt();
        }
        AlertGroup group = new AlertGroup(Math.max(alerts.size(), 1), incident.truncatedAlerts(),
                AlertGroup.varying(alerts.stream().map(Alert::labels).toList()), skew, sent);
        return new AlertContext(incident.title(), labels, annotations, startsAt, now).withGroup(group);
    }

    /** The alert a diagnosis is about: the first to fire, else the first of the group; its generatorURL is read too. */
    static Optional<Alert> representative(List<Alert> alerts) {
        List<Alert> firing = alerts.stream().filter(Alert::firing).sorted(Comparator.comparing(Alert::startsAt)).toList();
        return (firing.isEmpty() ? alerts : firing).stream().findFirst();
    }
}
