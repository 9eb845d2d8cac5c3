package dev.rootcause.incident.pipeline;

import dev.rootcause.incident.Alert;
import dev.rootcause.incident.ClaimLostException;
import dev.rootcause.incident.Delivery;
import dev.rootcause.incident.DeliveryRepository;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentConfig;
import dev.rootcause.incident.IncidentNotFoundException;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.IncidentStateException;
import dev.rootcause.incident.Notification;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.incident.Severity;
import dev.rootcause.incident.effect.ChatFollowUps;
import dev.rootcause.incident.effect.TicketLifecycle;
import dev.rootcause.incident.outbox.EffectKind;
import dev.rootcause.incident.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Applies notifications to incidents and carries out people's lifecycle steps. Every change is one
 * transaction with its timeline entries. Opening or reopening an incident marks it due for diagnosis
 * in the same transaction.
 */
@ApplicationScoped
public class IncidentService {

    private final IncidentRepository store;
    private final DeliveryRepository deliveries;
    private final ReportRepository reports;
    private final IncidentConfig config;
    private final ChatFollowUps chat;
    private final Outbox outbox;
    private final Clock clock;
    private final TicketLifecycle tickets;

    IncidentService(IncidentRepository store, DeliveryRepository deliveries, ReportRepository reports, IncidentConfig config,
            ChatFollowUps chat, Outbox outbox, Clock clock, TicketLifecycle tickets) {
        this.outbox = outbox;
        this.store = store;
        this.deliveries = deliveries;
        this.reports = reports;
        this.config = config;
        this.chat = chat;
        this.clock = clock;
        this.tickets = tickets;
    }

    /**
     * Applies a stored delivery: opens, updates, resolves or reopens the group's incident, and marks
     * the delivery processed in the same transaction.
     *
     * @return the incident's id
     * @throws ClaimLostException when the delivery's claim passed to another replica (rolled back)
     * @throws StoreException when the store fails (as every method here); nothing of the delivery is applied then
     */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    public long apply(Delivery delivery, Notification n) {
        long deliveryId = delivery.id();
        deliveries.lockClaim(delivery);
        Instant now = clock.instant();
        boolean anyFiring = n.alerts().stream().anyMatch(Alert::firing);
        Optional<Incident> latest = store.latestForGroup(n.source(), n.groupKey());
        Incident incident;
        if (latest.isEmpty() || (anyFiring && outsideReopenWindow(latest.get(), now))) {
            int generation = latest.map(i -> i.generation() + 1).orElse(1);
            long id = store.insert(n, generation, title(n), severity(n, null), now);
            store.addTimeline(id, now, "opened", n.source(), "opened from " + n.source() + " group " + n.groupKey()
                    + (anyFiring ? "" : " (first notification received was already resolved)"));
            incident = store.find(id).orElseThrow();
            if (anyFiring) {
                reports.markDue(id);
            }
        } else {
            incident = latest.get();
            store.updateFromNotification(incident.id(), n, severity(n, incident.severity()), now);
        }
        long id = incident.id();
        Map<String, Alert.Status> known = store.alertStatuses(id);
        store.upsertAlerts(id, n.alerts(), known, now);
        long firing = n.alerts().stream().filter(Alert::firing).count();
        store.addTimeline(id, now, "alerts", n.source(), String.format(
                "delivery %d: %d firing, %d resolved of %d shown%s; receiver %s, externalURL %s", deliveryId,
                firing, n.alerts().size() - firing, n.alerts().size(),
                n.truncatedAlerts() > 0 ? ", " + n.truncatedAlerts() + " not shown (truncated)" : "",
                n.receiver(), n.externalUrl()));

        if (anyFiring && incident.is(Incident.Status.RESOLVED)) {
            store.setReopened(id, now);
            store.addTimeline(id, now, "reopened", n.source(), "the group fires again");
            chat.enqueue(id, "reopened", "Reopened: the group fires again", now);
            tickets.reopened(id, now, "the group fires again within " + human(config.reopenWindow()) + " of its resolution");
            reports.markDue(id);
        } else if (!incident.is(Incident.Status.RESOLVED)) {
            resolveIfAllResolved(id, n, now);
        }
        deliveries.markProcessed(delivery, id); // throws when another replica took the claim over: all rolls back
        return id;
    }

    private void resolveIfAllResolved(long id, Notification n, Instant now) {
        boolean stillFiring = store.alertStatuses(id).containsValue(Alert.Status.FIRING);
        if (stillFiring) {
            return;
        }
        if (n.truncatedAlerts() > 0) {
            // The sender computed "resolved" over the shown alerts only; the hidden ones may still fire.
            store.addTimeline(id, now, "truncated", n.source(), "all " + n.alerts().size()
                    + " shown alerts are resolved, but " + n.truncatedAlerts()
                    + " were not shown; the incident stays open until a complete notification resolves it");
            return;
        }
        Incident incident = store.find(id).orElseThrow();
        store.setResolved(id, n.source(), now);
        String after = human(Duration.between(incident.openedAt(), now));
        store.addTimeline(id, now, "resolved", n.source(), "all alerts resolved after " + after);
        chat.enqueue(id, "resolved", "Resolved: all alerts resolved after " + after, now);
        tickets.resolved(id, now, "all alerts resolved after " + after);
    }

    /** Marks an incident acknowledged. Idempotent; a resolved incident cannot be acknowledged. */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    public Incident acknowledge(long id, String by) {
        Incident incident = store.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        if (incident.is(Incident.Status.RESOLVED)) {
            throw new IncidentStateException("incident " + id + " is resolved; it cannot be acknowledged");
        }
        if (!incident.is(Incident.Status.ACKNOWLEDGED)) {
            Instant now = clock.instant();
            store.setAcknowledged(id, by, now);
            store.addTimeline(id, now, "acknowledged", by, "acknowledged by " + by);
            chat.enqueue(id, "acknowledged", "Acknowledged by " + by, now);
        }
        return store.find(id).orElseThrow();
    }

    /** Marks an incident resolved by a person. Idempotent. */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    public Incident resolve(long id, String by) {
        Incident incident = store.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        if (!incident.is(Incident.Status.RESOLVED)) {
            Instant now = clock.instant();
            store.setResolved(id, by, now);
            String after = human(Duration.between(incident.openedAt(), now));
            store.addTimeline(id, now, "resolved", by, "resolved by " + by + " after " + after);
            chat.enqueue(id, "resolved", "Resolved by " + by + " after " + after, now);
            tickets.resolved(id, now, "resolved by " + by + " after " + after);
        }
        return store.find(id).orElseThrow();
    }

    /**
     * Marks the incident due for a new diagnosis (its report then goes to the incident's thread); the
     * caller wakes {@link DiagnosisRunner}.
     *
     * @throws IncidentNotFoundException for an unknown id
     */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    public Incident requestDiagnosis(long id, String by) {
        Incident incident = store.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        reports.markDue(id);
        store.addTimeline(id, clock.instant(), "rediagnosis", by, "new diagnosis requested by " + by);
        return incident;
    }

    /**
     * Asks for the incident's ticket: queues the same effect the first report queued (one ticket per
     * incident), so asking twice, or after the ticket exists, opens nothing new.
     *
     * @return the incident (with {@code ticketKey} when the ticket already exists)
     * @throws IncidentStateException when there is no report yet (the ticket is opened with the first)
     */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    public Incident requestTicket(long id, String by) {
        Incident incident = store.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        if (incident.ticketKey() != null) {
            return incident;
        }
        long reportId = reports.latestId(id).orElseThrow(() -> new IncidentStateException("incident " + id
                + " has no report yet; its ticket is opened with the first report"));
        outbox.enqueue(id, reportId, EffectKind.OPEN_TICKET, "ticket.open/incident-" + id);
        store.addTimeline(id, clock.instant(), "ticket_requested", by, "ticket requested by " + by);
        return incident;
    }

    /** Adds a timeline entry for a person's action or attempt (e.g. a refused chat button). */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    public void record(long id, String kind, String by, String message) {
        store.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        store.addTimeline(id, clock.instant(), kind, by, message);
    }

    private boolean outsideReopenWindow(Incident incident, Instant now) {
        return incident.is(Incident.Status.RESOLVED) && incident.resolvedAt() != null
                && incident.resolvedAt().plus(config.reopenWindow()).isBefore(now);
    }

    /**
     * commonAnnotations.summary, else the alert name (and service or job) the group shares, else the first alert's
     * summary or title (a Grafana group with empty labels), else "Alerts of group …" naming the groupKey only when
     * it says more than an empty {@code {}:{}}.
     */
    static String title(Notification n) {
        String summary = n.commonAnnotations().get("summary");
        if (summary != null && !summary.isBlank()) {
            return summary;
        }
        Map<String, String> labels = n.commonLabels().isEmpty() ? n.groupLabels() : n.commonLabels();
        String alertname = labels.get("alertname");
        if (alertname == null && !n.alerts().isEmpty()) {
            alertname = n.alerts().get(0).labels().get("alertname");
        }
        if (alertname == null) {
            for (Alert a : n.alerts()) {
                String own = a.annotations().getOrDefault("summary", a.annotations().get("title"));
                if (own != null && !own.isBlank()) {
                    return own.strip();
                }
            }
            // Alertmanager's key of a group without labels is "{}:{}" or "{}/{}:{}": it names nothing
            return n.groupKey().replaceAll("[{}/:]", "").isBlank() ? n.alerts().size() + " alert"
                    + (n.alerts().size() == 1 ? "" : "s") + " without labels or summary" : "Alerts of group " + n.groupKey();
        }
        String where = labels.getOrDefault("service", labels.get("job"));
        return where == null ? alertname : alertname + " on " + where;
    }

    private static String severity(Notification n, String current) {
        String max = Severity.max(current, n.commonLabels().get("severity"));
        for (Alert a : n.alerts()) {
            if (a.firing()) {
                max = Severity.max(max, a.labels().get("severity"));
            }
        }
        return max;
    }

    /** A duration as people say it: {@code 45s}, {@code 12m 5s}, {@code 3h 20m}. */
    public static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : " " + (s % 60) + "s");
        }
        return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : " " + (s % 3600 / 60) + "m");
    }
}
