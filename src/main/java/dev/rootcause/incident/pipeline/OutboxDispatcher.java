package dev.rootcause.incident.pipeline;

import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.effect.ChatFollowUps;
import dev.rootcause.incident.effect.ChatMessages;
import dev.rootcause.incident.effect.ChatPublisher;
import dev.rootcause.incident.effect.TicketDelivery;
import dev.rootcause.incident.effect.TicketRetry;
import dev.rootcause.incident.outbox.EffectKind;
import dev.rootcause.incident.outbox.EffectRejectedException;
import dev.rootcause.incident.outbox.EffectRetryException;
import dev.rootcause.incident.outbox.Outbox;
import dev.rootcause.incident.outbox.OutboxConfig;
import dev.rootcause.report.Report;
import dev.rootcause.support.BackgroundWorker;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Delivers outbox effects on one background thread: ticket effects (through {@link TicketDelivery}) and
 * chat effects. Effects are claimed one at a time ({@link Outbox#claim()}), so several replicas may
 * run dispatchers on one PostgreSQL store without delivering an effect twice. A failure is
 * retried with exponential backoff and ±25 % jitter (or after the backend's Retry-After); past
 * {@code rootcause.outbox.horizon} the effect becomes {@code dead}, stays listed and can be retried.
 */
@ApplicationScoped
public class OutboxDispatcher {

    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class);

    private final Outbox outbox;
    private final IncidentRepository incidents;
    private final ReportRepository reports;
    private final TicketDelivery tickets;
    private final Instance<ChatPublisher> chat;
    private final ChatMessages messages;
    private final ChatFollowUps followUps;
    private final OutboxConfig config;
    private final Clock clock;
    private final BackgroundWorker worker = new BackgroundWorker("rootcause-outbox", LOG, "reading the outbox",
            this::pollInterval, this::drain);

    OutboxDispatcher(Outbox outbox, IncidentRepository incidents, ReportRepository reports, TicketDelivery tickets,
            Instance<ChatPublisher> chat, ChatMessages messages, ChatFollowUps followUps, OutboxConfig config, Clock clock) {
        this.outbox = outbox;
        this.incidents = incidents;
        this.reports = reports;
        this.tickets = tickets;
        this.chat = chat;
        this.messages = messages;
        this.followUps = followUps;
        this.config = config;
        this.clock = clock;
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        worker.close();
    }

    @Scheduled(every = "${rootcause.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    /** For the worker's failure line; a method because field initialisers may not read {@code config}. */
    private Duration pollInterval() {
        return config.pollInterval();
    }

    /** Asks for a pass over the effects that are due; returns at once. */
    public void wake() {
        worker.wake();
    }

    /** Claims and delivers due effects one at a time (so other replicas share the work), up to 200 a pass. */
    private void drain() {
        for (int i = 0; i < 200; i++) {
            var claimed = outbox.claim(chat.get().ready()); // without the chat session: ticket effects only
            if (claimed.isEmpty()) {
                return;
            }
            deliver(claimed.get());
        }
        worker.wake(); // more may be due: another pass right after this one
    }

    private void deliver(Outbox.Effect effect) {
        Incident incident = incidents.find(effect.incidentId()).orElseThrow();
        try {
            if (effect.kind().ticket()) {
                // the tracker chosen by rootcause.tickets.kind (embedded unless set)
                tickets.deliver(effect, incident);
                return;
            }
            switch (effect.kind()) {
                // the chat chosen by rootcause.chat.kind (console unless a Discord token is set)
                case POST_REPORT -> {
                    ChatPublisher.ChatRef existing = messages.find(incident.id()).orElse(null);
                    posted(effect, chat.get().publish(incident, report(effect, incident), existing, nonce(effect)));
                }
                case CHAT_THREAD, CHAT_EDIT, CHAT_FAILED -> followUp(effect, incident);
                default -> throw new IllegalStateException("unknown effect kind " + effect.kind());
            }
        } catch (StoreException e) {
            throw e; // the store, not the effect, failed: end the pass, as for reading the outbox
        } catch (RuntimeException e) {
            failed(effect, e);
        }
    }

    private Report report(Outbox.Effect effect, Incident incident) {
        if (effect.reportId() == null) {
            throw new IllegalStateException("effect " + effect.id() + " (" + effect.kind() + ") has no report");
        }
        return reports.load(effect.reportId(), incident);
    }

    /**
     * A follow-up needs the incident's message. None yet while its report waits in the outbox: come back
     * after it. None and no report coming: nothing to follow up (the report, when posted, shows the status).
     */
    private void followUp(Outbox.Effect effect, Incident incident) {
        var ref = messages.find(incident.id());
        if (ref.isEmpty()) {
            if (outbox.pending(incident.id(), EffectKind.POST_REPORT)) {
                throw new EffectRetryException("the incident's report is not posted yet", config.initialBackoff());
            }
        } else if (effect.kind() == EffectKind.CHAT_THREAD) {
            chat.get().followUp(incident, ref.get(), effect.chatText(), nonce(effect));
        } else if (effect.kind() == EffectKind.CHAT_FAILED) {
            chat.get().effectFailed(incident, ref.get(), effect.chatText(), nonce(effect));
        } else {
            chat.get().showStatus(incident, ref.get());
        }
        outbox.markDone(effect);
    }

    /** Discord's nonce: at most 25 characters, the same on every attempt of one effect. */
    static String nonce(Outbox.Effect effect) {
        return "rc-" + effect.id();
    }

    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    void posted(Outbox.Effect effect, ChatPublisher.ChatRef ref) {
        if (ref != null) {
            messages.save(effect.incidentId(), ref, clock.instant());
        }
        outbox.markDone(effect);
    }

    private void failed(Outbox.Effect effect, RuntimeException e) {
        Instant now = clock.instant();
        String error = String.valueOf(e.getMessage());
        boolean rejected = e instanceof EffectRejectedException;
        if (rejected || !now.isBefore(effect.horizonStart().plus(config.horizon()))) {
            LOG.errorf("effect %d (%s of incident %d) gave up after %d attempts: %s", effect.id(), effect.kind(),
                    effect.incidentId(), effect.attempts() + 1, error);
            outbox.markDead(effect, error);
            incidents.addTimeline(effect.incidentId(), now, "effect_dead", "rootcause", effect.kind()
                    + (rejected ? " was refused" : " failed for " + IncidentService.human(config.horizon()))
                    + "; last error: " + error + " (POST /api/v1/outbox/" + effect.id() + "/retry)");
            if (effect.kind().ticket()) { // people learn it where they work, not only in the log and the outbox
                followUps.effectFailed(effect.incidentId(), effect.id(), TicketRetry.failureText(effect.kind(), effect.id(), rejected,
                        IncidentService.human(config.horizon()), error), now);
                wake();
            }
            return;
        }
        Duration wait = e instanceof EffectRetryException r && r.retryAfter() != null ? r.retryAfter() : backoff(effect.attempts() + 1);
        LOG.warnf("effect %d (%s of incident %d) failed (attempt %d), next in %s: %s", effect.id(), effect.kind(),
                effect.incidentId(), effect.attempts() + 1, wait, error);
        outbox.markFailed(effect, now.plus(wait), error);
    }

    /** initialBackoff × 2^(attempt−1), at most maxBackoff, then ±25 % jitter so retries of many effects spread. */
    Duration backoff(int attempt) {
        long base = config.initialBackoff().toMillis() << Math.min(attempt - 1, 30);
        long capped = Math.min(base, config.maxBackoff().toMillis());
        double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
        return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
    }
}
