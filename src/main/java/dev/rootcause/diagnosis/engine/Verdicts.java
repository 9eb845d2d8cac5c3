package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.rule.CauseTemplate;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Findings from evidence and the root cause's confidence; their ranking is {@link Ranking}'s. */
public final class Verdicts {

    private static final Pattern STEP_REF = Pattern.compile("steps\\.([a-zA-Z_][a-zA-Z0-9_]*)");

    private Verdicts() {
    }

    /**
     * Each finding of a rule: {@code no_data} when a step its condition reads did not end {@code ok};
     * otherwise {@code supports} when the CEL condition is true, {@code rules_out} when false.
     */
    static List<Finding> evaluate(Rule rule, Map<String, Evidence> evidence, Map<String, String> vars, AlertContext alert) {
        Map<String, Map<String, Object>> steps = new LinkedHashMap<>();
        evidence.forEach((id, e) -> steps.put(id, celValues(e)));
        List<Finding> out = new ArrayList<>();
        for (Rule.FindingRule f : rule.findings()) {
            String cause = CauseTemplate.render(f.cause(), CauseTemplate.lookup(steps, vars));
            String missing = missing(f.when(), evidence);
            if (missing != null) {
                // CEL's && and || absorb errors (false && error == false): a condition that is false whatever
                // the missing steps would say rules the cause out, e.g. "no deploy found" before "5xx rose".
                if (falseWithout(f.when(), okOnly(steps, evidence), alert)) {
                    out.add(new Finding(rule.id(), f.id(), Verdict.RULES_OUT, rule.layer(), cause, f.confidence(), f.cites(),
                            "condition not met whatever the missing steps show: " + f.when().replaceAll("\\s+", " ")
                                    + " (" + readings(f.when(), steps) + "; missing: " + missing + ")"));
                } else {
                    out.add(new Finding(rule.id(), f.id(), Verdict.NO_DATA, rule.layer(), null, f.confidence(), f.cites(), missing));
                }
                continue;
            }
            try {
                Object result = CelAlert.eval(f.when(), steps, alert);
                if (Boolean.TRUE.equals(result)) {
                    out.add(new Finding(rule.id(), f.id(), Verdict.SUPPORTS, rule.layer(), cause, f.confidence(), f.cites(), null,
                            onset(f.cites(), evidence), cited(f.cites(), evidence, "scope"), cited(f.cites(), evidence, "scope_detail")));
                } else {
                    out.add(new Finding(rule.id(), f.id(), Verdict.RULES_OUT, rule.layer(), cause, f.confidence(), f.cites(),
                            "condition not met: " + f.when().replaceAll("\\s+", " ") + " (" + readings(f.when(), steps) + ")"));
                }
            } catch (Exception e) {
                out.add(new Finding(rule.id(), f.id(), Verdict.NO_DATA, rule.layer(), null, f.confidence(), f.cites(),
                        "condition could not be evaluated: " + e.getMessage()));
            }
        }
        return out;
    }

    /**
     * The values of steps that ended {@code ok}; a step that did not keeps only {@code ok} and {@code status},
     * so the placeholders a no-data or failed step carries (e.g. {@code grew = ""}) can never rule a cause out.
     */
    private static Map<String, Map<String, Object>> okOnly(Map<String, Map<String, Object>> steps, Map<String, Evidence> evidence) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        steps.forEach((id, values) -> {
            Evidence e = evidence.get(id);
            out.put(id, e == null || e.ok() ? values : Map.of("ok", values.get("ok"), "status", values.get("status")));
        });
        return out;
    }

    /** True when the condition evaluates to false with only the values the steps that ended ok produced. */
    private static boolean falseWithout(String when, Map<String, Map<String, Object>> steps, AlertContext alert) {
        try {
            return Boolean.FALSE.equals(CelAlert.eval(when, steps, alert));
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * The earliest {@code onset} value (RFC 3339) of the cited evidence that ended ok, or null when none has one:
     * when the thing blamed began, e.g. a deploy's time or the first sample of a metric's new level.
     */
    static Instant onset(List<String> cites, Map<String, Evidence> evidence) {
        Instant earliest = null;
        for (String step : cites) {
            Evidence e = evidence.get(step);
            if (e != null && e.ok() && e.values().get("onset") instanceof String s && !s.isEmpty()) {
                try {
                    Instant t = Instant.parse(s);
                    earliest = earliest == null || t.isBefore(earliest) ? t : earliest;
                } catch (java.time.format.DateTimeParseException ignored) {
                    // a step that wrote something else is not a time to rank by
                }
            }
        }
        return earliest;
    }

    /** The first non-empty text value {@code key} of the cited evidence that ended ok, or null. */
    static String cited(List<String> cites, Map<String, Evidence> evidence, String key) {
        for (String step : cites) {
            Evidence e = evidence.get(step);
            if (e != null && e.ok() && e.values().get(key) instanceof String s && !s.isEmpty()) {
                return s;
            }
        }
        return null;
    }

    /**
     * The root cause for this finding (one {@link Ranking} chose), or null for none. {@code high} needs at least
     * two independent kinds of cited evidence that ended {@code ok} (docs/architecture.md, "Vocabulary"); with one kind it is lowered to
     * {@code medium} and the note says so.
     */
    static RootCause rootCause(Finding f, List<Evidence> evidence) {
        return rootCause(f, evidence, null);
    }

    /** An alert older than this is "of the past": evidence taken at diagnosis time may not describe it. */
    static final java.time.Duration PAST = java.time.Duration.ofHours(1);

    /**
     * As {@link #rootCause(Finding, List)}, and when the alert began more than {@link #PAST} before the diagnosis
     * while every cited step that answered was measured at diagnosis time (a probe, a Redis {@code INFO} snapshot:
     * a window starting after the alert's start + {@code PAST}, or none), the confidence is {@code low} and the note
     * says the evidence shows the present, not the alert's time; when only some were, the note names them.
     *
     * @param alert the alert, or null to skip the check (rule tests of old callers)
     */
    static RootCause rootCause(Finding f, List<Evidence> evidence, AlertContext alert) {
        return rootCause(f, evidence, alert, Set.of());
    }

    /**
     * As {@link #rootCause(Finding, List, AlertContext)}, with the evidence kinds of findings of other rules that name
     * the same cause ({@link Ranking.Result#agreeing()}) counted with the finding's own for the two-kinds check.
     */
    static RootCause rootCause(Finding f, List<Evidence> evidence, AlertContext alert, Set<String> agreeingKinds) {
        if (f == null) {
            return null;
        }
        RootCause rc = rootCauseOf(f, evidence, agreeingKinds);
        if (alert == null || alert.onDemand() || !alert.startsAt().plus(PAST).isBefore(alert.now())) {
            return rc;
        }
        List<Evidence> cited = evidence.stream().filter(e -> f.cites().contains(e.step()) && e.ok()).toList();
        List<String> now = cited.stream().filter(e -> e.windowStart() == null || e.windowStart().isAfter(alert.startsAt().plus(PAST)))
                .map(e -> e.step() + " (" + e.kind() + ")").toList();
        if (now.isEmpty()) {
            return rc;
        }
        String age = dev.rootcause.rule.Durations.span(java.time.Duration.between(alert.startsAt(), alert.now()));
        String past = String.join(", ", now) + " measured now, " + age + " after the alert began ("
                + alert.startsAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "): it shows the present, not the alert's time";
        if (now.size() < cited.size()) {
            return new RootCause(rc.summary(), rc.confidence(), rc.rule(), rc.finding(), rc.note() == null ? "unchanged, but " + past : rc.note() + "; " + past,
                    rc.kinds());
        }
        return new RootCause(rc.summary(), Confidence.LOW, rc.rule(), rc.finding(), "lowered to low: " + past
                + (rc.note() == null ? "" : "; " + rc.note()), rc.kinds());
    }

    private static RootCause rootCauseOf(Finding f, List<Evidence> evidence, Set<String> agreeingKinds) {
        Set<String> kinds = new LinkedHashSet<>();
        for (Evidence e : evidence) {
            if (f.cites().contains(e.step()) && e.ok()) {
                // a step that weighed several kinds itself (graph.walk) says which of them agree on its conclusion
                if (e.values().get("agreeing_kinds") instanceof String agreeing && !agreeing.isEmpty()) {
                    kinds.addAll(List.of(agreeing.split(",")));
                } else {
                    kinds.add(e.kind());
                }
            }
        }
        kinds.addAll(agreeingKinds);
        Confidence confidence = f.confidence();
        String note = null;
        if (confidence == Confidence.HIGH && kinds.size() < 2) {
            confidence = Confidence.MEDIUM;
            note = "lowered from high: only " + (kinds.isEmpty() ? "no" : String.join(", ", kinds))
                    + " evidence; high confidence needs two independent kinds (e.g. metric + log)";
        }
        return new RootCause(f.cause(), confidence, f.rule(), f.id(), note, List.copyOf(kinds));
    }


    /** One line per source that failed: "prometheus: error: connection refused". */
    public static List<String> partial(List<Evidence> evidence) {
        Set<String> lines = new LinkedHashSet<>();
        for (Evidence e : evidence) {
            if (e.status() == Evidence.Status.ERROR || e.status() == Evidence.Status.TIMEOUT) {
                lines.add((e.source() == null ? e.step() : e.source()) + " " + e.status().wire() + ": " + e.reason());
            }
        }
        return List.copyOf(lines);
    }

    private static String missing(String when, Map<String, Evidence> evidence) {
        var m = STEP_REF.matcher(when);
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            Evidence e = evidence.get(m.group(1));
            if (e != null && !e.ok()) {
                // Errors and timeouts are spelled out once, in the report's partial section.
                boolean failed = e.status() == Evidence.Status.ERROR || e.status() == Evidence.Status.TIMEOUT;
                String line = m.group(1) + " " + e.status().wire() + (failed || e.reason() == null ? "" : " (" + e.reason() + ")");
                if (!missing.contains(line)) {
                    missing.add(line);
                }
            }
        }
        return missing.isEmpty() ? null : String.join("; ", missing);
    }

    /** The values a condition reads, as {@code step.value = 0.0412}, for saying why it did not hold. */
    private static String readings(String when, Map<String, Map<String, Object>> steps) {
        var m = java.util.regex.Pattern.compile("steps\\.([a-zA-Z_][a-zA-Z0-9_]*)\\.([a-zA-Z_][a-zA-Z0-9_]*)").matcher(when);
        Set<String> out = new LinkedHashSet<>();
        while (m.find()) {
            Object v = steps.getOrDefault(m.group(1), Map.of()).get(m.group(2));
            out.add(m.group(1) + "." + m.group(2) + " = " + CauseTemplate.format(v, null));
        }
        return String.join(", ", out);
    }

    /** CEL sees ints as long and has no Integer: widen. Adds {@code ok} and {@code status}. */
    private static Map<String, Object> celValues(Evidence e) {
        Map<String, Object> out = new LinkedHashMap<>();
        e.values().forEach((k, v) -> out.put(k, v instanceof Integer i ? Long.valueOf(i) : v));
        out.put("ok", e.ok());
        out.put("status", e.status().wire());
        return out;
    }
}
