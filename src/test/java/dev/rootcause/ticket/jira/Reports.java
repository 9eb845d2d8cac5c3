package dev.rootcause.ticket.jira;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.incident.Incident;
import dev.rootcause.report.Report;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reports and incidents built by hand for tracker and renderer tests. */
final class Reports {

    static final Instant AT = Instant.parse("2026-06-01T03:00:00Z");

    private Reports() {
    }

    /** A report with a root cause, a finding, one ok and one failed piece of evidence, and a runbook. */
    static Report sample(long incidentId) {
        Evidence ok = new Evidence("errors", "metrics.compare", "metric", "prometheus",
                "sum(rate(http_requests_total{service=\"checkout\",code=~\"5..\"}[5m]))", AT.minusSeconds(1800), AT,
                Evidence.Status.OK, null, Map.of("before", 0.001, "after", 0.12), "http://prometheus:9090/graph?g0.expr=x", List.of());
        Evidence down = new Evidence("logs", "logs.count", "log", "loki", null, null, null, Evidence.Status.TIMEOUT,
                "loki: no answer within 5s", Map.of(), null, List.of());
        Finding supports = new Finding("http-5xx", "bad-deploy", Verdict.SUPPORTS, Layer.APPLICATION,
                "Deploy v2.3.1 of checkout raised the 5xx ratio from 0.1% to 12% | see [deploy]", Confidence.HIGH, List.of("errors"), null);
        Diagnosis d = new Diagnosis(new AlertContext("HighErrorRate on checkout", Map.of("service", "checkout"), Map.of(),
                AT.minusSeconds(60), AT), List.of("http-5xx"), List.of(ok, down), List.of(supports),
                new RootCause("Deploy v2.3.1 of checkout raised the 5xx ratio from 0.1% to 12% | see [deploy]", Confidence.MEDIUM,
                        "http-5xx", "bad-deploy", "lowered from high: only metric evidence"),
                List.of("loki: no answer within 5s"), "https://runbooks.example/http-5xx",
                List.of(new Diagnosis.LayerVerdict(Layer.APPLICATION, List.of("http-5xx/bad-deploy"), "cause found")));
        return new Report(incidentId, "HighErrorRate on checkout", "critical", AT, d, "# markdown");
    }

    static Incident incident(long id, String title, String severity) {
        return new Incident(id, "alertmanager", "{}:{alertname=\"HighErrorRate\"}", 1, "rootcause", "http://am:9093", title,
                "open", severity, AT, AT, null, null, null, null, 2, 0, Map.of(), Map.of(), Map.of(), null, null, null, null);
    }
}
