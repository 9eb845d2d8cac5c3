package dev.rootcause.incident.effect;

import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.outbox.EffectKind;
import dev.rootcause.incident.outbox.Outbox;
import dev.rootcause.report.Report;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Objects;

/**
 * Writes the ticket effects an incident change causes into the outbox, in the caller's transaction
 * (the change and its effects commit together or not at all). Idempotency keys:
 * <ul>
 * <li>{@code ticket.open/incident-<id>}: one ticket per incident, when {@link TicketPolicy} says so;</li>
 * <li>{@code ticket.comment/report-<reportId>}: a re-diagnosis changed the root cause;</li>
 * <li>{@code ticket.close/incident-<id>/<epoch ms of the resolution>}: the incident resolved;</li>
 * <li>{@code ticket.reopen/incident-<id>/<epoch ms of the reopening>}: it fired again within
 * {@code rootcause.incidents.reopen-window}.</li>
 * </ul>
 * Lifecycle effects are written only for incidents whose ticket was asked for; the dispatcher
 * delivers an incident's ticket effects in order.
 */
@ApplicationScoped
public class TicketLifecycle {

    private final Outbox outbox;
    private final IncidentRepository incidents;
    private final TicketPolicy policy;

    TicketLifecycle(Outbox outbox, IncidentRepository incidents, TicketPolicy policy) {
        this.outbox = outbox;
        this.incidents = incidents;
        this.policy = policy;
    }

    /**
     * After a report was stored: opens the ticket (or says in the timeline why not), or comments when
     * the root cause differs from the previous report's.
     *
     * @param before   the incident as it was before this report was stored
     * @param previous the previous report's root cause summary, or null; {@code hadReport} tells whether there was one
     */
    public void reportSaved(Incident before, boolean hadReport, String previous, long reportId, Report report) {
        long id = report.incidentId();
        RootCause rc = report.diagnosis().rootCause();
        if (!outbox.hasTicket(id)) {
            TicketPolicy.Decision decision = policy.decide(before.severity(), report.diagnosis());
            if (!decision.open()) {
                incidents.addTimeline(id, report.createdAt(), "ticket_skipped", "rootcause", "no ticket opened: " + decision.reason());
                return;
            }
            outbox.enqueue(id, reportId, EffectKind.OPEN_TICKET, "ticket.open/incident-" + id, null);
            if (before.is(Incident.Status.RESOLVED)) { // resolved while it was being diagnosed
                resolved(id, before.resolvedAt(), "resolved before its ticket was opened");
            }
            return;
        }
        String now = rc == null ? null : rc.summary();
        if (hadReport && !Objects.equals(previous, now)) {
            outbox.enqueue(id, reportId, EffectKind.COMMENT_TICKET, "ticket.comment/report-" + reportId,
                    "rootcause re-diagnosed this incident and the root cause changed.\nWas: "
                            + (previous == null ? "not determined" : previous) + "\nNow: "
                            + (rc == null ? "not determined" : rc.summary() + " (confidence " + rc.confidence() + ")"));
        }
    }

    /** The incident resolved: close its ticket. */
    public void resolved(long id, Instant at, String why) {
        if (outbox.hasTicket(id)) {
            outbox.enqueue(id, null, EffectKind.CLOSE_TICKET, "ticket.close/incident-" + id + "/" + at.toEpochMilli(), why);
        }
    }

    /** The incident fired again within the reopen window: reopen its ticket. */
    public void reopened(long id, Instant at, String why) {
        if (outbox.hasTicket(id)) {
            outbox.enqueue(id, null, EffectKind.REOPEN_TICKET, "ticket.reopen/incident-" + id + "/" + at.toEpochMilli(), why);
        }
    }
}
