package dev.rootcause.ticket.github;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.incident.Incident;
import dev.rootcause.report.Report;
import dev.rootcause.report.render.MarkdownRenderer;
import dev.rootcause.rule.Confidence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A report longer than a GitHub issue body, built by hand: many pieces of evidence with long queries. */
final class LongReports {

    static final Instant AT = Instant.parse("2026-06-01T03:00:00Z");

    private LongReports() {
    }

    /** A report whose Markdown is at least {@code minChars} characters long. */
    static Report report(long incidentId, int minChars) {
        List<Evidence> evidence = new ArrayList<>();
        for (int n = 0; ; n += 50) {
            for (int i = n; i < n + 50; i++) {
                String query = "sum by (pod) (rate(http_requests_total{service=\"checkout\",pod=\"checkout-" + i + "\",code=~\"5..\"}[5m]))"
                        + " / sum by (pod) (rate(http_requests_total{service=\"checkout\",pod=\"checkout-" + i + "\"}[5m]))";
                evidence.add(new Evidence("errors-" + i, "metrics.compare", "metric", "prometheus", query, AT.minusSeconds(1800), AT,
                        Evidence.Status.OK, null, Map.of("before", 0.001, "after", 0.12), null, List.of()));
            }
            Report r = build(incidentId, evidence);
            if (MarkdownRenderer.render(r.outline()).length() >= minChars || n > 20_000) {
                return r;
            }
        }
    }

    private static Report build(long incidentId, List<Evidence> evidence) {
        Diagnosis d = new Diagnosis(new AlertContext("HighErrorRate on checkout", Map.of("service", "checkout"), Map.of(),
                AT.minusSeconds(60), AT), List.of("http-5xx"), List.copyOf(evidence), List.of(),
                new RootCause("checkout answers 5xx on every pod", Confidence.LOW, "http-5xx", "errors", null),
                List.of(), null, List.of());
        return new Report(incidentId, "HighErrorRate on checkout", "critical", AT, d, "# markdown");
    }

    static Incident incident(long id) {
        return new Incident(id, "alertmanager", "{}:{alertname=\"HighErrorRate\"}", 1, "rootcause", "http://am:9093",
                "HighErrorRate on checkout", "open", "critical", AT, AT, null, null, null, null, 2, 0, Map.of(), Map.of(), Map.of(),
                null, null, null, null);
    }
}
