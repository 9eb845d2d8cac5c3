package dev.rootcause.incident.effect;

import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.outbox.EffectKind;
import dev.rootcause.incident.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;

/**
 * A refused or given-up ticket, told and retried from chat: the thread's line names the tracker's reason
 * ({@link #failureText}), and its Retry button puts every dead ticket effect of the incident back in line
 * ({@link #retry}), in their order (the open before its comments, close, reopen).
 */
@ApplicationScoped
public class TicketRetry {

    private final Outbox outbox;
    private final IncidentRepository incidents;
    private final Clock clock;

    TicketRetry(Outbox outbox, IncidentRepository incidents, Clock clock) {
        this.outbox = outbox;
        this.incidents = incidents;
        this.clock = clock;
    }

    /**
     * The thread's line for a dead ticket effect, e.g. {@code Ticket not opened: the tracker refused it —
     * GitHub answered 422: Validation Failed; body: body is too long (maximum is 65536 characters). Fix the
     * cause, then press Retry (or POST /api/v1/outbox/12/retry).}
     *
     * @param rejected true when the tracker refused it (a 4xx no repeat passes); false when it failed until the horizon
     * @param horizon  the horizon in words ({@code 24h}), for the given-up case
     * @param error    the tracker's reason as the outbox stored it ({@code lastError})
     */
    public static String failureText(EffectKind kind, long effectId, boolean rejected, String horizon, String error) {
        String what = switch (kind) {
            case OPEN_TICKET -> "Ticket not opened";
            case COMMENT_TICKET -> "Ticket comment not added";
            case CLOSE_TICKET -> "Ticket not closed";
            case REOPEN_TICKET -> "Ticket not reopened";
            default -> kind.wire() + " not delivered";
        };
        return what + ": " + (rejected ? "the tracker refused it" : "the tracker failed for " + horizon) + " — " + error
                + (error.endsWith(".") ? "" : ".") + " Fix the cause, then press Retry (or POST /api/v1/outbox/" + effectId + "/retry).";
    }

    /**
     * Puts the incident's dead ticket effects back in line now, each with a new retry horizon, and records
     * who asked in the timeline (kind {@code ticket_retry}); joins the caller's transaction.
     *
     * @param user who pressed Retry (the chat user name)
     * @return how many effects went back in line; 0 when none was dead (nothing recorded then)
     * @throws dev.rootcause.incident.StoreException when the store fails
     */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    public int retry(long incidentId, String user) {
        Instant now = clock.instant();
        int n = outbox.retryDeadTickets(incidentId);
        if (n > 0) {
            incidents.addTimeline(incidentId, now, "ticket_retry", user, user + " retried " + n + " ticket effect" + (n == 1 ? "" : "s"));
        }
        return n;
    }
}
