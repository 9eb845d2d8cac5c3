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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code network.retransmits}: the share of TCP segments retransmitted, before vs after an instant, from
 * node_exporter's {@code node_netstat_Tcp_RetransSegs} and {@code node_netstat_Tcp_OutSegs} counters
 * ({@code rate()} over the global {@code $rate_window}). {@code with}: {@code selector} (PromQL label
 * matchers for the nodes, a template, e.g. {@code instance=~"$node.*"}) and the window keys of
 * {@code metrics.compare} ({@code at}, {@code before}, {@code after}); optionally {@code pods_of} (a workload name,
 * usually a var such as {@code $pods_of}): when it is not empty, only the nodes running a pod of that workload count —
 * kube-state-metrics {@code kube_pod_info}'s {@code node} label matched against node_exporter's {@code instance} (as
 * kube-prometheus relabels it), pods named {@code W-<hash>-<id>}, {@code W-<n>} or {@code W-<id>} — so an alert that
 * names a service and no node is checked on the service's nodes.
 *
 * <p>Values: {@code before}, {@code after} (mean retransmitted / sent, a fraction 0-1; samples where
 * nothing was sent are left out), {@code ratio} (after / before; +Inf when before is 0 and after is not),
 * {@code delta}, {@code retrans_before}, {@code retrans_after}, {@code out_before}, {@code out_after}
 * (segments per second), {@code before_points}, {@code after_points}.
 */
public class NetworkRetransmitsStep implements StepRunner {

    /** The nodes (as node_exporter's {@code instance}) running a pod of the workload {@code $pods_of}: 1 per node. */
    static final String NODES_OF_PODS = "max by (instance) (label_replace(kube_pod_info{pod=~\"$pods_of(-[0-9]+|(-[bcdfghjklmnpqrstvwxz2456789]{1,10})?"
            + "-[bcdfghjklmnpqrstvwxz2456789]{5})?\"}, \"instance\", \"$1\", \"node\", \"(.+)\"))";

    private final MetricsSource metrics;

    public NetworkRetransmitsStep(MetricsSource metrics) {
        this.metrics = metrics;
    }

    @Override
    public String type() {
        return "network.retransmits";
    }

    @Override
    public String kind() {
        return "metric";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : List.of("before", "after", "ratio", "delta", "retrans_before", "retrans_after", "out_before", "out_after")) {
            out.put(n, 0.0);
        }
        out.put("before_points", 0L);
        out.put("after_points", 0L);
        return out;
    }

    /** {@code pods_of} with a {@code $var} resolved; empty when absent or empty. */
    private static String podsOf(Rule.Step step, Map<String, String> vars) {
        Object raw = step.with().get("pods_of");
        String v = raw == null ? "" : String.valueOf(raw);
        if (v.startsWith("$")) {
            v = vars.getOrDefault(v.substring(1), "");
        }
        return v.strip();
    }

    @Override
    public void check(Map<String, Object> with) {
        BeforeAfter.checkWithSelector(with, Set.of("pods_of"));
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        BeforeAfter w = BeforeAfter.of(step, alert);
        String selector = String.valueOf(step.with().get("selector"));
        String podsOf = podsOf(step, vars);
        Map<String, String> withPods = new HashMap<>(vars);
        String onNodes = "";
        if (!podsOf.isBlank()) {
            withPods.put("pods_of", podsOf);
            selector += " on the nodes running pods of " + podsOf;
            onNodes = " * on (instance) group_left () " + NODES_OF_PODS;
        }
        List<String> rendered = new ArrayList<>();
        try {
            BeforeAfter.Fetched f = w.fetch(metrics, step, withPods,
                    "sum(rate(node_netstat_Tcp_RetransSegs{SELECTOR}[$rate_window])" + onNodes + ")",
                    "sum(rate(node_netstat_Tcp_OutSegs{SELECTOR}[$rate_window])" + onNodes + ")", rendered);
            MetricsSource.Result retrans = f.results().get(0);
            MetricsSource.Result out = f.results().get(1);
            List<Evidence.Recorded> recorded = f.recorded();
            String query = f.query();
            String link = metrics.link(f.queries().get(0) + " / " + f.queries().get(1), w.start(), w.end());
            if (retrans.series().isEmpty() || out.series().isEmpty()) {
                return new Evidence(step.id(), type(), kind(), metrics.name(), query, w.start(), w.end(), Evidence.Status.NO_DATA,
                        "Prometheus returned no node_netstat_Tcp series for " + selector + " (is node_exporter scraped?)",
                        Map.of(), link, recorded);
            }
            MetricsSource.Series r = retrans.series().get(0);
            MetricsSource.Series o = out.series().get(0);
            Map<Instant, Double> sent = new HashMap<>();
            for (int i = 0; i < o.times().size(); i++) {
                sent.put(o.times().get(i), o.values()[i]);
            }
            List<Double> shareBefore = new ArrayList<>();
            List<Double> shareAfter = new ArrayList<>();
            for (int i = 0; i < r.times().size(); i++) {
                Double s = sent.get(r.times().get(i));
                double v = r.values()[i];
                if (s == null || Double.isNaN(v) || Double.isNaN(s) || s <= 0) {
                    continue; // nothing sent: no share to speak of
                }
                (r.times().get(i).isBefore(w.at()) ? shareBefore : shareAfter).add(v / s);
            }
            List<List<Double>> rba = w.split(r);
            List<List<Double>> oba = w.split(o);
            double before = Stats.mean(shareBefore);
            double after = Stats.mean(shareAfter);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("before", before);
            values.put("after", after);
            values.put("ratio", Stats.ratio(before, after));
            values.put("delta", after - before);
            values.put("retrans_before", Stats.mean(rba.get(0)));
            values.put("retrans_after", Stats.mean(rba.get(1)));
            values.put("out_before", Stats.mean(oba.get(0)));
            values.put("out_after", Stats.mean(oba.get(1)));
            values.put("before_points", (long) shareBefore.size());
            values.put("after_points", (long) shareAfter.size());
            if (shareBefore.isEmpty() || shareAfter.isEmpty()) {
                return new Evidence(step.id(), type(), kind(), metrics.name(), query, w.start(), w.end(), Evidence.Status.NO_DATA,
                        "no segments sent " + (shareBefore.isEmpty() ? "before " : "after ") + w.at(), values, link, recorded);
            }
            return new Evidence(step.id(), type(), kind(), metrics.name(), query, w.start(), w.end(), Evidence.Status.OK, null,
                    values, link, recorded);
        } catch (MetricsSourceException e) {
            return new Evidence(step.id(), type(), kind(), metrics.name(), String.join("\n", rendered), w.start(), w.end(), e.status(),
                    e.getMessage(), Map.of(), null);
        }
    }
}
