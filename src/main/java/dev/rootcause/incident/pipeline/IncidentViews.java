package dev.rootcause.incident.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.Feedback;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.incident.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** JSON shapes of the incident API. Times are RFC 3339 UTC strings; absent values are {@code null}. */
public final class IncidentViews {

    private IncidentViews() {
    }

    /** Root cause of the latest diagnosis: {@code confidence} is {@code high}, {@code medium} or {@code low}. */
    public record RootCause(String summary, String confidence) {
        public static RootCause of(Incident i) {
            return i.rootCause() == null ? null : new RootCause(i.rootCause(), i.rootCauseConfidence());
        }
    }

    /** The incident's ticket in the configured tracker. */
    public record Ticket(String key, String url) {
        public static Ticket of(Incident i) {
            return i.ticketKey() == null ? null : new Ticket(i.ticketKey(), i.ticketUrl());
        }
    }

    /** An item of {@code GET /api/v1/incidents}. {@code rootCause} and {@code ticket} are null until known. */
    public record Summary(long id, String title, String status, String source, String groupKey, String severity,
            Instant openedAt, Instant acknowledgedAt, String acknowledgedBy, Instant resolvedAt, String resolvedBy,
            int alertCount, int truncatedAlerts, RootCause rootCause, Ticket ticket) {

        public static Summary of(Incident i) {
            return new Summary(i.id(), i.title(), i.status(), i.source(), i.groupKey(), i.severity(), i.openedAt(),
                    i.acknowledgedAt(), i.acknowledgedBy(), i.resolvedAt(), i.resolvedBy(), i.alertCount(),
                    i.truncatedAlerts(), RootCause.of(i), Ticket.of(i));
        }
    }

    /** One alert of an incident; {@code endsAt} is null while it has not ended. */
    public record AlertView(String fingerprint, Alert.Status status, Map<String, String> labels,
            Map<String, String> annotations, Instant startsAt, Instant endsAt, String generatorURL) {
    }

    /** The diagnosis report; null until there is one. */
    public record ReportView(String markdown, JsonNode findings, JsonNode evidence) {
        public static ReportView of(ReportRepository.StoredReport r) {
            return r == null ? null : new ReportView(r.markdown(), r.findings(), r.evidence());
        }
    }

    /**
     * A responder's verdict on the root cause (the incident page's or Discord's Right cause / Wrong cause): {@code verdict}
     * {@code right} or {@code wrong}; {@code actual} what the cause was in their words (null for right); {@code rule}
     * and {@code cause} the rule and root cause judged (null when none was determined; a later diagnosis may name
     * another than {@link RootCause}); {@code by} who judged, {@code at} when.
     */
    public record FeedbackView(String verdict, String actual, String rule, String cause, String by, Instant at) {
        public static FeedbackView of(Feedback f) {
            return f == null ? null : new FeedbackView(f.verdict().wire(), f.actual(), f.rule(), f.cause(), f.by(), f.at());
        }
    }

    /** {@code GET /api/v1/incidents/{id}}: the summary plus alerts, timeline, report and the verdict (null until given). */
    public record Detail(long id, String title, String status, String source, String groupKey, String receiver,
            String externalURL, String severity, Instant openedAt, Instant acknowledgedAt, String acknowledgedBy,
            Instant resolvedAt, String resolvedBy, int alertCount, int truncatedAlerts,
            Map<String, String> groupLabels, Map<String, String> commonLabels,
            Map<String, String> commonAnnotations, RootCause rootCause, Ticket ticket, List<AlertView> alerts,
            List<TimelineEntry> timeline, ReportView report, FeedbackView feedback) {

        public static Detail of(Incident i, List<Alert> alerts, List<TimelineEntry> timeline, ReportRepository.StoredReport report,
                Feedback feedback) {
            return new Detail(i.id(), i.title(), i.status(), i.source(), i.groupKey(), i.receiver(), i.externalUrl(),
                    i.severity(), i.openedAt(), i.acknowledgedAt(), i.acknowledgedBy(), i.resolvedAt(),
                    i.resolvedBy(), i.alertCount(), i.truncatedAlerts(), i.groupLabels(), i.commonLabels(),
                    i.commonAnnotations(), RootCause.of(i), Ticket.of(i),
                    alerts.stream().map(a -> new AlertView(a.fingerprint(), a.status(), a.labels(), a.annotations(),
                            a.startsAt(), a.endsAt(), a.generatorUrl())).toList(),
                    timeline, ReportView.of(report), FeedbackView.of(feedback));
        }
    }
}
