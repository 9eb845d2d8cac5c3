package dev.rootcause.report;

import dev.rootcause.alert.reading.Target;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.AlertGroup;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.rule.CauseTemplate;
import dev.rootcause.rule.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The report's first lines, what an engineer reads in ten seconds: the symptom with a number, its window,
 * onset and scope ({@link #symptom}); the group and the sender's clock ({@link #group}); and, when no cause was
 * found, what was established in plain words ({@link #established}). No rule id, CEL or empty value reaches
 * these lines: they are built from the evidence's numbers and windows, the alert's reading and its group.
 */
final class Headline {

    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_HM = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    /** Labels whose values name where the symptom is, in the order they are said ("on 3 pods"). */
    private static final List<String> WHERE = List.of("pod", "instance", "node", "container", "namespace", "cluster");
    /** Values of a varying label shown before "and N more". */
    static final int SHOWN_VALUES = 5;

    private Headline() {
    }

    /**
     * Line 1: {@code checkout errors: errors 0.1% → 12% (mean before vs after, 08:32–09:32 UTC) · since 09:02 UTC,
     * for 14 min · 2 alerts on 2 pods}. The number is the root cause's cited before/after metric, else the first
     * before/after metric that answered, else the alerts' count; every number carries its window.
     */
    static String symptom(Diagnosis d) {
        AlertContext a = d.alert();
        // on demand there is no alert: the title says what was asked ("On-demand diagnosis of cache-a over the last 5m")
        String subject = a.onDemand() ? null : subject(a);
        String symptom = a.onDemand() ? a.title() : a.reading().symptomList().isEmpty() ? a.labels().getOrDefault("alertname", "alert")
                : String.join("/", a.reading().symptomList().stream().map(String::valueOf).toList());
        StringBuilder s = new StringBuilder(subject == null ? symptom : subject + " " + symptom);
        measure(d).ifPresent(m -> s.append(": ").append(m));
        s.append(" · since ").append(time(a.startsAt(), a.now())).append(", for ").append(Durations.span(
                Duration.between(a.startsAt(), a.now()).isNegative() ? Duration.ZERO : Duration.between(a.startsAt(), a.now())));
        s.append(" · ").append(scope(a.group()));
        return s.toString();
    }

    /** {@code 09:02 UTC} on the day of {@code now}, else {@code 2024-05-14 09:02 UTC}. */
    static String time(Instant t, Instant now) {
        return t.atZone(ZoneOffset.UTC).toLocalDate().equals(now.atZone(ZoneOffset.UTC).toLocalDate()) ? HM.format(t) : DAY_HM.format(t);
    }

    private static String subject(AlertContext a) {
        Target t = a.reading().target();
        for (String kind : Target.KINDS) {
            if (t.values().get(kind) != null) {
                return t.values().get(kind);
            }
        }
        return a.labels().getOrDefault("service", a.labels().get("job"));
    }

    /** {@code errors 0.1% → 12% (mean before vs after, 08:32–09:32 UTC)}, or empty when no metric compared. */
    private static Optional<String> measure(Diagnosis d) {
        RootCause rc = d.rootCause();
        List<String> cited = rc == null ? List.of() : d.findings().stream()
                .filter(f -> f.rule().equals(rc.rule()) && f.id().equals(rc.finding())).findFirst().map(f -> f.cites()).orElse(List.of());
        Evidence best = null;
        for (Evidence e : d.evidence()) {
            if (e.ok() && e.values().get("before") instanceof Number b && e.values().get("after") instanceof Number f
                    && !Double.isNaN(b.doubleValue()) && !Double.isNaN(f.doubleValue()) && e.windowStart() != null && e.windowEnd() != null) {
                if (cited.contains(e.step())) {
                    best = e;
                    break;
                }
                best = best == null ? e : best;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(best.step().replace('_', ' ') + " " + number(best, "before") + " → " + number(best, "after")
                + " (mean before vs after, " + window(best, d.alert().now()) + ")");
    }

    /** {@code 08:32–09:32 UTC}, or with days when they differ from {@code now}'s. */
    static String window(Evidence e, Instant now) {
        String from = time(e.windowStart(), now).replace(" UTC", "");
        return e.windowEnd() == null ? from + " UTC–now" : from + "–" + time(e.windowEnd(), now);
    }

    /** A before/after value with its unit when the evidence tells it: {@code 12%}, {@code 1.9 s}, {@code 340}. */
    static String number(Evidence e, String key) {
        // items.compare says its item's units (Zabbix units, SkyWalking ms or calls/min): they beat the name's hint
        if (e.values().get("units") instanceof String units && !units.isBlank()) {
            return CauseTemplate.format(e.values().get(key), "num") + (units.equals("%") ? "%" : " " + units);
        }
        String format = format(e);
        String name = (e.step() + " " + (e.query() == null ? "" : e.query())).toLowerCase(java.util.Locale.ROOT);
        boolean seconds = "num".equals(format) && (name.contains("seconds") || name.contains("latency") || e.step().matches("p\\d+"));
        return CauseTemplate.format(e.values().get(key), format) + (seconds ? " s" : "");
    }

    /** Ratios as percentages; other numbers with three significant digits. */
    private static String format(Evidence e) {
        double b = ((Number) e.values().get("before")).doubleValue();
        double a = ((Number) e.values().get("after")).doubleValue();
        String name = (e.step() + " " + (e.query() == null ? "" : e.query())).toLowerCase(java.util.Locale.ROOT);
        boolean ratio = name.contains("ratio") || name.contains("error") || name.contains("hit") || name.contains("5xx");
        return ratio && b >= 0 && b <= 1 && a >= 0 && a <= 1 ? "pct" : "num";
    }

    /** {@code 1 alert}, {@code 2 alerts on 2 pods}, {@code 3000 alerts (1000 shown, 2000 not included) on 1000 pods}. */
    static String scope(AlertGroup g) {
        String s = g.total() + " alert" + (g.total() == 1 ? "" : "s");
        if (g.truncatedAlerts() > 0) {
            s += " (" + g.alertCount() + " shown, " + g.truncatedAlerts() + " not included)";
        }
        for (String label : WHERE) {
            List<String> values = g.varying().get(label);
            if (values != null) {
                return s + " on " + values.size() + (g.truncatedAlerts() > 0 ? "+ " : " ") + label + (label.endsWith("s") ? "es" : "s");
            }
        }
        return s;
    }

    /**
     * The group and the sender, one line each: its size and what was left out, each varying label with its first
     * {@link #SHOWN_VALUES} values, and the sender's clock skew; empty for a lone alert with no skew.
     */
    static List<String> group(AlertGroup g) {
        List<String> out = new ArrayList<>();
        if (g.total() > 1) {
            out.add("Group: " + g.total() + " alerts" + (g.truncatedAlerts() == 0 ? ", all shown"
                    : "; " + g.alertCount() + " shown, " + g.truncatedAlerts() + " not included (the sender's max_alerts)"));
        }
        g.varying().forEach((label, values) -> {
            List<String> shown = values.subList(0, Math.min(SHOWN_VALUES, values.size()));
            out.add("Varies: " + label + " " + String.join(", ", shown)
                    + (values.size() > shown.size() ? " and " + (values.size() - shown.size()) + " more" : ""));
        });
        if (g.skewSeconds() > 0) {
            out.add("Clock skew: the sender's clock is " + Durations.span(Duration.ofSeconds(g.skewSeconds()))
                    + " ahead of ours (the alert's startsAt " + g.sentStartsAt() + " lay in our future when it arrived);"
                    + " the diagnosis is anchored at our receipt instead, so its \"after\" window is not in our future");
        }
        return out;
    }

    /**
     * What was established when no cause was: no change in the lookback, metrics that stayed flat, probes that
     * passed, then what could not be checked and why; plain words, deduplicated.
     */
    static List<String> established(Diagnosis d) {
        Instant now = d.alert().now();
        Set<String> out = new LinkedHashSet<>();
        Map<String, Set<String>> changes = new java.util.LinkedHashMap<>();
        for (Evidence e : d.evidence()) {
            if (!e.ok()) {
                continue;
            }
            if ("changes.latest".equals(e.type()) && Boolean.FALSE.equals(e.values().get("found")) && e.windowStart() != null
                    && e.windowEnd() != null && e.query() != null && e.query().contains(" of ")) {
                String what = e.query().substring(0, e.query().indexOf(" of ")).replace(" changes", "");
                String where = e.query().substring(e.query().indexOf(" of ") + 4).split(" in \\[")[0];
                String key = where + " in the " + Durations.span(Duration.between(e.windowStart(), e.windowEnd())) + " before "
                        + time(e.windowEnd(), now);
                changes.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(List.of(what.split("/")));
            } else if (Boolean.FALSE.equals(e.values().get("exceeds_noise")) && e.values().get("before") instanceof Number
                    && e.windowStart() != null && e.windowEnd() != null) {
                out.add(e.step().replace('_', ' ') + " flat: " + number(e, "before") + " → " + number(e, "after") + " (" + window(e, now) + ")");
            } else if ("probe.http".equals(e.type()) && e.values().get("failing") instanceof Number f && f.longValue() == 0
                    && !(e.values().get("unreachable") instanceof Number u && u.longValue() > 0)) {
                out.add("all " + e.values().get("dependencies") + " dependencies of " + e.values().get("service")
                        + " answer their health probe (probed " + time(e.windowStart(), now) + ")");
            }
        }
        List<String> lines = new ArrayList<>();
        changes.forEach((where, kinds) -> {
            List<String> k = List.copyOf(kinds);
            String said = k.size() == 1 ? k.get(0) : String.join(", ", k.subList(0, k.size() - 1)) + " or " + k.get(k.size() - 1);
            lines.add("no " + said + " change of " + where);
        });
        lines.addAll(out);
        Set<String> notChecked = new LinkedHashSet<>();
        for (Evidence e : d.evidence()) {
            boolean failed = e.status() == Evidence.Status.ERROR || e.status() == Evidence.Status.TIMEOUT;
            boolean ownReason = e.status() == Evidence.Status.SKIPPED && e.reason() != null && !e.reason().startsWith("needs ")
                    && !e.reason().contains("found nothing");
            if (failed) {
                notChecked.add(e.kind() + " (" + (e.source() == null ? "" : e.source() + " " + e.status().wire() + ": ")
                        + ReportOutliner.oneLine(e.reason()) + ")");
            } else if (ownReason) {
                // a skip's reason that names its kind is said alone: "no change events reach rootcause for checkout (wire …)"
                String reason = ReportOutliner.oneLine(e.reason());
                notChecked.add(reason.contains(e.kind()) ? reason : e.kind() + " (" + reason + ")");
            }
        }
        if (!notChecked.isEmpty()) {
            lines.add("not checked: " + String.join(", ", notChecked.stream().limit(3).toList())
                    + (notChecked.size() > 3 ? " and " + (notChecked.size() - 3) + " more" : ""));
        }
        return lines;
    }
}
