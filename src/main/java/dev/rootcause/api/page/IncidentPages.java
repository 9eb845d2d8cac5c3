package dev.rootcause.api.page;

import dev.rootcause.incident.Alert;
import dev.rootcause.incident.Feedback;
import dev.rootcause.incident.FeedbackRepository;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentLinks;
import dev.rootcause.incident.IncidentNotFoundException;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.ReportRepository;
import dev.rootcause.incident.pipeline.IncidentService;
import dev.rootcause.report.Report;
import dev.rootcause.report.ReportChart;
import dev.rootcause.report.ReportOutline;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** Builds the pages' views from the store: the incident list and one incident with its latest report. */
@ApplicationScoped
public class IncidentPages {

    private static final Logger LOG = Logger.getLogger(IncidentPages.class);
    /** Incidents the list reads (newest first) before filtering. */
    static final int LIST_READ = 1000;
    /** Alerts one page shows; a storm's group can hold thousands. */
    static final int MAX_ALERTS = 200;

    private final IncidentRepository incidents;
    private final ReportRepository reports;
    private final FeedbackRepository feedback;
    private final IncidentLinks links;

    IncidentPages(IncidentRepository incidents, ReportRepository reports, FeedbackRepository feedback, IncidentLinks links) {
        this.incidents = incidents;
        this.reports = reports;
        this.feedback = feedback;
        this.links = links;
    }

    /** The service an incident is about: the group's {@code service} label, else its {@code job}, else null. */
    static String service(Incident i) {
        return Stream.of(i.commonLabels().get("service"), i.groupLabels().get("service"), i.commonLabels().get("job"))
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    /**
     * The list: open and reopened first, then acknowledged, then resolved, each newest first; filtered by the
     * given status, service and severity (null: any). Three statements whatever the number of rows: the incidents,
     * their verdicts, the per-rule counts.
     */
    PageViews.ListPage list(PageViews.Viewer viewer, String status, String service, String severity) {
        List<Incident> all = incidents.list(status, LIST_READ);
        List<String> services = all.stream().map(IncidentPages::service).filter(Objects::nonNull).distinct().sorted().toList();
        List<String> severities = all.stream().map(Incident::severity).filter(Objects::nonNull).distinct().sorted().toList();
        List<Incident> shown = all.stream()
                .filter(i -> service == null || service.equals(service(i)))
                .filter(i -> severity == null || severity.equals(i.severity()))
                .sorted(Comparator.comparingInt(IncidentPages::rank)).toList();
        Map<Long, Feedback.Verdict> verdicts = shown.isEmpty() ? Map.of() : feedback.verdicts(shown.stream().map(Incident::id).toList());
        List<PageViews.Row> rows = shown.stream().map(i -> row(i, verdicts.get(i.id()))).toList();
        List<String> statuses = Stream.of(Incident.Status.values()).map(Incident.Status::wire).toList();
        return new PageViews.ListPage(links.base(), viewer,
                new PageViews.Filters(status, service, severity, statuses, services, severities), rows, feedback.countsPerRule());
    }

    private static int rank(Incident i) {
        return i.is(Incident.Status.OPEN) || i.is(Incident.Status.REOPENED) ? 0 : i.is(Incident.Status.ACKNOWLEDGED) ? 1 : 2;
    }

    private static PageViews.Row row(Incident i, Feedback.Verdict verdict) {
        return new PageViews.Row(i.id(), i.title(), i.status(), i.severity(), service(i), PageFormat.utc(i.openedAt()),
                after(i.openedAt(), i.acknowledgedAt()), after(i.openedAt(), i.resolvedAt()), i.rootCause(), i.ticketKey(),
                verdict == null ? null : verdict.wire());
    }

    private static String after(Instant from, Instant to) {
        return from == null || to == null ? null : IncidentService.human(Duration.between(from, to));
    }

    /**
     * One incident's page.
     *
     * @throws IncidentNotFoundException for an unknown id
     */
    PageViews.IncidentPage incident(long id, PageViews.Viewer viewer, String notice, String error) {
        Incident i = incidents.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        ReportOutline outline = null;
        String chart = null;
        String reportNote = "No diagnosis yet.";
        var reportId = reports.latestId(id);
        if (reportId.isPresent()) {
            try {
                Report report = reports.load(reportId.get(), i);
                outline = report.outline();
                chart = ReportChart.render(report.diagnosis())
                        .map(png -> "data:image/png;base64," + Base64.getEncoder().encodeToString(png)).orElse(null);
                reportNote = null;
            } catch (RuntimeException e) { // a report stored before the diagnosis was kept whole
                LOG.warnf("incident %d: report %d cannot be shown: %s", id, reportId.get(), e.getMessage());
                reportNote = "The latest report cannot be shown: " + e.getMessage();
            }
        }
        List<Alert> alerts = incidents.alerts(id);
        List<String> columns = AlertColumns.of(alerts);
        List<PageViews.AlertRow> rows = alerts.stream().limit(MAX_ALERTS)
                .map(a -> new PageViews.AlertRow(a.status().wire(), PageFormat.utc(a.startsAt()),
                        columns.stream().map(c -> a.labels().getOrDefault(c, "")).toList(), PageViews.http(a.generatorUrl())))
                .toList();
        PageViews.Link ticket = i.ticketKey() == null ? null : new PageViews.Link(i.ticketKey(), PageViews.http(i.ticketUrl()));
        return new PageViews.IncidentPage(links.base(), viewer, i, outline, reportNote, chart, columns, rows,
                Math.max(0, alerts.size() - MAX_ALERTS), incidents.timeline(id), links(i, alerts, outline), ticket,
                feedback.find(id).orElse(null), links.link("/incidents/" + id + "/rule-test.zip"), notice, error);
    }

    /** Alertmanager, the alert's expression in Prometheus, every evidence link, the runbook: http(s) only, once each. */
    private static List<PageViews.Link> links(Incident i, List<Alert> alerts, ReportOutline outline) {
        Map<String, String> byUrl = new LinkedHashMap<>();
        add(byUrl, i.externalUrl(), "Alertmanager");
        alerts.stream().map(Alert::generatorUrl).filter(Objects::nonNull).findFirst()
                .ifPresent(u -> add(byUrl, u, "The alert's expression (" + i.source() + ")"));
        if (outline != null) {
            outline.evidence().forEach(e -> add(byUrl, e.link(), e.linkText() == null ? e.step() : e.linkText() + " — " + e.step()));
            add(byUrl, outline.runbook(), "Runbook");
        }
        List<PageViews.Link> out = new ArrayList<>();
        byUrl.forEach((url, text) -> out.add(new PageViews.Link(text, url)));
        return out;
    }

    private static void add(Map<String, String> byUrl, String url, String text) {
        String safe = PageViews.http(url);
        if (safe != null) {
            byUrl.putIfAbsent(safe, text);
        }
    }
}
