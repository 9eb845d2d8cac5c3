package dev.rootcause.diagnosis;

import java.util.Optional;

/**
 * Alerts about the alerting itself, which no rule should diagnose as a service symptom: Grafana's
 * {@code DatasourceError} and {@code DatasourceNoData} (the rule could not be evaluated: Grafana alerting docs,
 * "Configure no data and error handling", which name these alerts and put the query error in the {@code Error}
 * annotation), and the test notification Grafana's contact point "Test" button sends ({@code alertname TestAlert},
 * {@code instance Grafana}, summary "Notification test").
 */
public final class SenderAlerts {

    private SenderAlerts() {
    }

    /**
     * What went wrong in the monitoring, in one sentence, or empty when the alert is not a datasource alert:
     * {@code Grafana could not evaluate alert rule "Checkout latency": datasource prom-1 (query A) answered
     * with an error: Post "http://prom:9090/api/v1/query_range": dial tcp: connection refused}.
     */
    public static Optional<String> monitoringFailure(AlertContext alert) {
        String name = alert.labels().get("alertname");
        if (!"DatasourceError".equals(name) && !"DatasourceNoData".equals(name)) {
            return Optional.empty();
        }
        String rule = alert.labels().getOrDefault("rulename", alert.labels().get("grafana_rulename"));
        String source = alert.labels().get("datasource_uid");
        String ref = alert.labels().get("ref_id");
        String what = "datasource" + (source == null ? "" : " " + source) + (ref == null ? "" : " (query " + ref + ")");
        String error = alert.annotations().getOrDefault("Error", alert.annotations().get("error"));
        String head = "Grafana could not evaluate alert rule" + (rule == null ? "" : " \"" + rule + "\"") + ": ";
        return Optional.of("DatasourceError".equals(name)
                ? head + what + " answered with an error" + (error == null || error.isBlank() ? " (Grafana sent no error text)"
                        : ": " + error.strip().replace('\n', ' '))
                : head + what + " returned no data");
    }

    /** True for the notification Grafana's contact point "Test" button sends. */
    public static boolean grafanaTest(AlertContext alert) {
        return "TestAlert".equals(alert.labels().get("alertname"))
                && ("Grafana".equals(alert.labels().get("instance")) || "Notification test".equals(alert.annotations().get("summary")));
    }
}
