package dev.rootcause.incident.effect;

import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.incident.outbox.EffectKind;
import dev.rootcause.incident.outbox.Outbox;
import dev.rootcause.incident.outbox.OutboxConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Delivers ticket effects ({@code ticket.*} kinds) through the configured {@link TicketTracker}
 * ({@code rootcause.tickets.kind}: embedded unless set). An incident's ticket effects go in the order
 * they were written: a comment, close or reopen waits (without counting an attempt) while an earlier
 * ticket effect of the incident is pending, e.g. the open that has not reached the tracker yet.
 */
@ApplicationScoped
public class TicketDelivery {

    private final Outbox outbox;
    private final IncidentRepository incidents;
    private final ReportRepository reports;
    private final Instance<TicketTracker> trackers;
    private final OutboxConfig config;
    private final Clock clock;
    private final ChatFollowUps followUps;

    TicketDelivery(Outbox outbox, IncidentRepository incidents, ReportRepository reports, Instance<TicketTracker> trackers,
            OutboxConfig config, Clock clock, ChatFollowUps followUps) {
        this.outbox = outbox;
        this.incidents = incidents;
        this.reports = reports;
        this.trackers = trackers;
        this.config = config;
        this.clock = clock;
        this.followUps = followUps;
    }

    /**
     * Delivers one claimed ticket effect and records the outcome, or defers it behind an earlier one.
     *
     * @throws dev.rootcause.incident.StoreException when the store fails
     * @throws RuntimeException the tracker's failure, for the dispatcher's retry and dead-letter handling
     */
    public void deliver(Outbox.Effect effect, Incident incident) {
        if (effect.kind() != EffectKind.OPEN_TICKET) {
            Optional<Outbox.Effect> earlier = outbox.earlierTicketEffect(effect);
            if (earlier.isPresent()) {
                Instant now = clock.instant();
                outbox.defer(effect, now.plus(config.initialBackoff()), "waiting for effect " + earlier.get().id() + " ("
                        + earlier.get().kind() + ") of the same incident");
                return;
            }
        }
        TicketTracker tracker = trackers.get();
        TicketTracker.Attempt attempt = new TicketTracker.Attempt(effect.idempotencyKey(), effect.retried());
        switch (effect.kind()) {
            case OPEN_TICKET -> opened(effect, tracker.open(incident, reports.load(effect.reportId(), incident), attempt));
            case COMMENT_TICKET -> {
                tracker.comment(ticket(incident), incident, effect.chatText(), attempt);
                done(effect, "ticket_comment", "commented on " + incident.ticketKey() + ": the root cause changed");
            }
            case CLOSE_TICKET -> {
                tracker.close(ticket(incident), incident, attempt);
                done(effect, "ticket_closed", "closed " + incident.ticketKey());
            }
            case REOPEN_TICKET -> {
                tracker.reopen(ticket(incident), incident, attempt);
                done(effect, "ticket_reopened", "reopened " + incident.ticketKey());
            }
            default -> throw new IllegalStateException("unknown ticket effect kind " + effect.kind());
        }
    }

    private static TicketTracker.TicketRef ticket(Incident incident) {
        if (incident.ticketKey() == null) {
            // only when the open effect is dead: its retry comes first
            throw new IllegalStateException("incident " + incident.id() + " has no ticket yet: retry its dead ticket.open effect first");
        }
        return new TicketTracker.TicketRef(incident.ticketKey(), incident.ticketUrl());
    }

    /**
     * The ticket on the incident (the hook chat uses to link to it: {@code incident.ticketUrl}), the
     * timeline entry and the effect done, together.
     */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    void opened(Outbox.Effect effect, TicketTracker.TicketRef ticket) {
        reports.setTicket(effect.incidentId(), ticket.key(), ticket.url());
        Instant now = clock.instant();
        incidents.addTimeline(effect.incidentId(), now, "ticket", "rootcause", "ticket " + ticket.key() + " " + ticket.url());
        // the chat thread links to the ticket (a chat effect, delivered on the dispatcher's next claim)
        followUps.enqueue(effect.incidentId(), "ticket", "Ticket " + ticket.key() + " opened: " + ticket.url(), now);
        outbox.markDone(effect);
    }

    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    void done(Outbox.Effect effect, String kind, String text) {
        incidents.addTimeline(effect.incidentId(), clock.instant(), kind, "rootcause", text);
        outbox.markDone(effect);
    }
}
