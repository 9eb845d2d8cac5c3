package dev.rootcause.api.page;

import dev.rootcause.incident.Feedback;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.TimelineEntry;
import dev.rootcause.report.ReportOutline;
import io.quarkus.qute.TemplateData;
import java.net.URI;
import java.util.List;

/**
 * What the page templates show, computed once per request; every text is escaped by Qute when rendered. The report's
 * section names are {@link ReportOutline}'s constants, as {@code {outline:EVIDENCE}} in the templates.
 */
@TemplateData(target = ReportOutline.class, namespace = "outline")
public final class PageViews {

    private PageViews() {
    }

    /**
     * The person looking, and what they may do.
     *
     * @param csrf the session's CSRF token, for the forms' hidden {@code csrf} field
     */
    public record Viewer(String name, String csrf, boolean mayAck, boolean mayResolve, boolean mayReload, boolean mayFeedback) {
    }

    /** A link; {@code url} is http(s) only ({@link #http}). */
    public record Link(String text, String url) {
    }

    /** One row of the incident list; the durations are {@code 3m 5s} or null when the step has not happened. */
    public record Row(long id, String title, String status, String severity, String service, String opened, String toAck,
            String toResolve, String rootCause, String ticketKey, String verdict) {

        /** True for open and reopened incidents, which the list shows first. */
        public boolean active() {
            return "open".equals(status) || "reopened".equals(status);
        }
    }

    /** The list's filters as given (null when not filtering), and the values they offer. */
    public record Filters(String status, String service, String severity, List<String> statuses, List<String> services,
            List<String> severities) {
    }

    /** The incident list page. {@code shown} of {@code matched} rows; {@code judged} the per-rule verdict counts. */
    public record ListPage(String base, Viewer viewer, Filters filters, List<Row> rows, List<Feedback.RuleCounts> judged) {
    }

    /** One of the group's alerts: its status, start, the varying labels' values (in the columns' order) and its link. */
    public record AlertRow(String status, String startsAt, List<String> values, String link) {
    }

    /**
     * The incident page.
     *
     * @param outline     the latest report's outline, or null before the first diagnosis
     * @param reportNote  why there is no outline (no diagnosis yet, or the stored report was unreadable)
     * @param chart       the chart as a {@code data:image/png;base64,…} URI, or null
     * @param columns     the labels whose values vary most among the group's alerts
     * @param alertsCut   alerts not shown (past the page's limit)
     * @param ticket      the ticket's key and link (link null when it is not http(s))
     * @param exportUrl   where the rule-test export downloads, offered with a wrong verdict
     * @param notice      what the last action did, or null
     * @param error       why the last action failed, or null
     */
    public record IncidentPage(String base, Viewer viewer, Incident incident, ReportOutline outline, String reportNote,
            String chart, List<String> columns, List<AlertRow> alerts, int alertsCut, List<TimelineEntry> timeline,
            List<Link> links, Link ticket, Feedback feedback, String exportUrl, String notice, String error) {

        /** True when the incident may still be acknowledged. */
        public boolean ackable() {
            return !incident.is(Incident.Status.RESOLVED) && !incident.is(Incident.Status.ACKNOWLEDGED);
        }

        /** True when it may still be resolved. */
        public boolean resolvable() {
            return !incident.is(Incident.Status.RESOLVED);
        }

        /** A link from the report (evidence, runbook) when it is http(s), else null. */
        public String http(String url) {
            return PageViews.http(url);
        }

        /** True when there is a diagnosis to judge. */
        public boolean judgeable() {
            return outline != null;
        }

        /** True when the verdict was about another root cause than the latest. */
        public boolean judgedEarlierCause() {
            return feedback != null && !java.util.Objects.equals(feedback.cause(), incident.rootCause());
        }
    }

    /**
     * The login form: {@code next} is the local path to go to after it; {@code ssoUrl} the single sign-on link, or null
     * when no OpenID Connect provider is configured.
     */
    public record LoginPage(String base, boolean tokenRequired, String next, String name, String error, String ssoUrl) {
    }

    /** The URL when it is http or https, else null: a {@code javascript:} link from an alert is never a link. */
    public static String http(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI u = URI.create(url.strip());
            return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) && u.getHost() != null
                    ? u.toString() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
