package dev.rootcause.diagnosis.step.network;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.diagnosis.step.Stats;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.metrics.BeforeAfter;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Rule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code network.phases}: which phase of an HTTP probe grew, before vs after an instant, from the blackbox
 * exporter's {@code probe_http_duration_seconds{phase=resolve|connect|tls|processing|transfer}} and
 * {@code probe_dns_lookup_time_seconds} in Prometheus. {@code with}: {@code selector} (PromQL label
 * matchers picking the probe's series, a template, e.g. {@code service="$service"}), and the window keys of
 * {@code metrics.compare} ({@code at}, {@code before}, {@code after}).
 *
 * <p>Values, all in seconds: {@code <phase>_before}, {@code <phase>_after}, {@code <phase>_delta} for each
 * phase (mean over the window, averaged over the matching probes; NaN when the exporter reported none),
 * {@code dns_before}, {@code dns_after}, {@code total_before}, {@code total_after} (sum of the phases);
 * {@code grew} (the phase whose mean grew most, {@code ""} when none grew), {@code grew_delta},
 * {@code grew_ratio} (its after / before), {@code grew_share} (its share of the total growth, 0-1).
 */
public class NetworkPhasesStep implements StepRunner {

    /** The blackbox exporter's phase label values (prober/http.go). */
    static final List<String> PHASES = List.of("resolve", "connect", "tls", "processing", "transfer");

    private final MetricsSource metrics;

    public NetworkPhasesStep(MetricsSource metrics) {
        this.metrics = metrics;
    }

    @Override
    public String type() {
        return "network.phases";
    }

    @Override
    public String kind() {
        return "metric";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String p : PHASES) {
            out.put(p + "_before", 0.0);
            out.put(p + "_after", 0.0);
            out.put(p + "_delta", 0.0);
        }
        for (String n : List.of("dns_before", "dns_after", "total_before", "total_after", "grew_delta", "grew_ratio", "grew_share")) {
            out.put(n, 0.0);
        }
        out.put("grew", "");
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        BeforeAfter.checkWithSelector(with);
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        BeforeAfter w = BeforeAfter.of(step, alert);
        List<String> rendered = new java.util.ArrayList<>();
        try {
            BeforeAfter.Fetched f = w.fetch(metrics, step, vars, "avg by (phase) (probe_http_duration_seconds{SELECTOR})",
                    "avg(probe_dns_lookup_time_seconds{SELECTOR})", rendered);
            MetricsSource.Result phases = f.results().get(0);
            MetricsSource.Result dns = f.results().get(1);
            List<Evidence.Recorded> recorded = f.recorded();
            String query = f.query();
            String link = metrics.link(f.queries().get(0), w.start(), w.end());
            Map<String, Object> values = new LinkedHashMap<>();
            String grew = "";
            double grewDelta = 0;
            double totalBefore = 0;
            double totalAfter = 0;
            int seen = 0;
            for (String p : PHASES) {
                double before = Double.NaN;
                double after = Double.NaN;
                for (MetricsSource.Series s : phases.series()) {
                    if (p.equals(s.labels().get("phase"))) {
                        List<List<Double>> ba = w.split(s);
                        before = Stats.mean(ba.get(0));
                        after = Stats.mean(ba.get(1));
                    }
                }
                values.put(p + "_before", before);
                values.put(p + "_after", after);
                values.put(p + "_delta", after - before);
                if (!Double.isNaN(before) && !Double.isNaN(after)) {
                    seen++;
                    totalBefore += before;
                    totalAfter += after;
                    if (after - before > grewDelta) {
                        grewDelta = after - before;
                        grew = p;
                    }
                }
            }
            double dnsBefore = Double.NaN;
            double dnsAfter = Double.NaN;
            if (!dns.series().isEmpty()) {
                List<List<Double>> ba = w.split(dns.series().get(0));
                dnsBefore = Stats.mean(ba.get(0));
                dnsAfter = Stats.mean(ba.get(1));
            }
            values.put("dns_before", dnsBefore);
            values.put("dns_after", dnsAfter);
            values.put("total_before", seen == 0 ? Double.NaN : totalBefore);
            values.put("total_after", seen == 0 ? Double.NaN : totalAfter);
            values.put("grew", grew);
            values.put("grew_delta", grewDelta);
            values.put("grew_ratio", grew.isEmpty() ? 1.0 : Stats.ratio((double) values.get(grew + "_before"),
                    (double) values.get(grew + "_after")));
            double totalDelta = totalAfter - totalBefore;
            values.put("grew_share", grew.isEmpty() || totalDelta <= 0 ? 0.0 : Math.min(1.0, grewDelta / totalDelta));
            if (seen == 0) {
                String why = phases.series().isEmpty() ? "Prometheus returned no probe_http_duration_seconds series (is the blackbox"
                        + " exporter scraped with these labels?)" : "no phase has samples both before and after " + w.at();
                return new Evidence(step.id(), type(), kind(), metrics.name(), query, w.start(), w.end(), Evidence.Status.NO_DATA,
                        why, values, link, recorded);
            }
            return new Evidence(step.id(), type(), kind(), metrics.name(), query, w.start(), w.end(), Evidence.Status.OK,
                    phases.warnings().isEmpty() ? null : String.join("; ", phases.warnings()), values, link, recorded);
        } catch (MetricsSourceException e) {
            return new Evidence(step.id(), type(), kind(), metrics.name(), String.join("\n", rendered), w.start(), w.end(), e.status(),
                    e.getMessage(), Map.of(), null);
        }
    }
}
