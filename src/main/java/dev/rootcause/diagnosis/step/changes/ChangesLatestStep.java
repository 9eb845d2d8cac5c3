package dev.rootcause.diagnosis.step.changes;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.rule.Durations;
import dev.rootcause.rule.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code changes.latest}: the latest change of a service that took effect before an instant, within a
 * lookback window. {@code with}: {@code service} (e.g. {@code $service}), {@code lookback} (default
 * {@code 6h}), {@code at} (default {@code alert.startsAt}), {@code kinds} (the kinds of change to consider,
 * e.g. {@code [config, flag]}; default every kind; {@code sources} is its deprecated old name).
 *
 * <p>Values: {@code found} (false when no change in the window: status stays {@code ok}, so a rule can
 * rule a deploy out), {@code time} (RFC 3339, "" when none), {@code age_seconds} (seconds from the change
 * to {@code at}), {@code version}, {@code previous_version}, {@code kind} ({@code deploy}, {@code config} ...),
 * {@code sender} (the system that sent it: the change API's {@code source}, e.g. {@code github}; "" when unknown),
 * {@code environment} ("" when unknown), {@code source} (deprecated: the same as {@code kind}), {@code link}, {@code id},
 * {@code author}, {@code commit_range}, {@code origin} ({@code api}, {@code kubernetes}), {@code count}
 * (changes in the window), {@code onset} (the same as {@code time}: when what a finding citing this step
 * blames began, for {@link Ranking}); {@code earlier_time}, {@code earlier_version}, {@code earlier_kind}
 * ({@code earlier_source} deprecated),
 * {@code earlier_age_seconds}: the latest change in the {@link #EARLIER} before the lookback ("" / NaN when none),
 * so a report can say a deploy days old was seen and not blamed. A source that fails with nothing found elsewhere
 * makes the step an error. With no change source configured, or none that ever heard of the service
 * ({@link ChangeSource#receives}), the step is {@code skipped} ("not checked") with {@code no change events reach
 * rootcause for <service> (wire your CI/CD …)}: no values, so no rule can rule a change out from silence.
 */
public class ChangesLatestStep extends ChangeLookup.Step {

    /** How far before the lookback the latest earlier change is looked up (one query covers both). */
    static final Duration EARLIER = Duration.ofDays(7);

    /** Over the sources {@code sources} gives at each run (the service's: only those configured, looked up lazily). */
    public ChangesLatestStep(java.util.function.Supplier<List<ChangeSource>> sources) {
        super(sources);
    }

    /** Over these sources (the rule-test command). */
    public ChangesLatestStep(List<ChangeSource> sources) {
        super(() -> sources);
    }

    @Override
    public String type() {
        return "changes.latest";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("found", true);
        for (String s : List.of("time", "onset", "version", "previous_version", "kind", "sender", "environment", "source", "link", "id",
                "author", "commit_range", "origin")) {
            out.put(s, "");
        }
        out.put("age_seconds", 0.0);
        out.put("count", 0L);
        out.put("earlier_time", "");
        out.put("earlier_version", "");
        out.put("earlier_kind", "");
        out.put("earlier_source", "");
        out.put("earlier_age_seconds", 0.0);
        return out;
    }

    /** {@code source} meant the kind of change before issue 24; in the API it is now the sender. */
    @Override
    public Map<String, String> deprecatedOutputs() {
        return Map.of("source", "kind", "earlier_source", "earlier_kind");
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        ChangeLookup.Result r;
        Instant since;
        try {
            Instant at = ChangeLookup.until(step, alert, previous);
            since = at.minus(ChangeLookup.lookback(step));
            // one question for the lookback and the week before it: the latest earlier change is named in the
            // report as not blamed ("3 days before the alert") instead of passed over in silence
            Instant wide = since.isBefore(at.minus(EARLIER)) ? since : at.minus(EARLIER);
            r = lookup.find(ChangeLookup.service(step, vars), wide, at, ChangeLookup.sources(step.with()));
        } catch (RuntimeException e) {
            return StepParams.atFailed(step, this, null, e);
        }
        String service = r.service();
        Instant until = r.until();
        List<ChangeEvent> in = r.changes().stream().filter(c -> !c.time().isBefore(since)).toList();
        ChangeEvent earlier = r.changes().stream().filter(c -> c.time().isBefore(since)).findFirst().orElse(null);
        String query = r.what() + " of " + service + " in [" + since + ", " + until + "] and the latest in the "
                + Durations.format(EARLIER) + " before";
        Map<String, Object> values = values(in.isEmpty() ? null : in.get(0), until);
        values.put("count", in.size());
        values.put("earlier_time", earlier == null ? "" : earlier.time().toString());
        values.put("earlier_version", earlier == null ? "" : nz(earlier.version()));
        values.put("earlier_kind", earlier == null ? "" : nz(earlier.kind()));
        values.put("earlier_source", values.get("earlier_kind"));
        values.put("earlier_age_seconds", earlier == null ? Double.NaN : Duration.between(earlier.time(), until).toMillis() / 1000.0);
        if (r.notChecked() != null) {
            // nothing reaches rootcause for this service: "found = false" would rule out what nobody could see
            return r.attach(new Evidence(step.id(), type(), kind(), r.sources(), query, since, until, Evidence.Status.SKIPPED,
                    r.notChecked(), Map.of(), null));
        }
        if (in.isEmpty()) {
            if (!r.failures().isEmpty()) {
                // no values: "found = false" would claim an absence the failed source cannot vouch for
                return r.attach(new Evidence(step.id(), type(), kind(), r.sources(), query, since, until, r.worst(),
                        String.join("; ", r.failures()), Map.of(), null));
            }
            return r.attach(new Evidence(step.id(), type(), kind(), r.sources(), query, since, until, Evidence.Status.OK,
                    "no " + r.what() + " of " + service + " in the " + Durations.format(Duration.between(since, until)) + " before " + until
                    + (earlier == null ? "" : "; the latest before that: " + describe(earlier) + ", "
                            + Durations.span(Duration.between(earlier.time(), until)) + " before"), values, null));
        }
        ChangeEvent latest = in.get(0);
        String reason = latest.note();
        if (!r.failures().isEmpty()) {
            reason = (reason == null ? "" : reason + "; ") + "a later change may be missing: " + String.join("; ", r.failures());
        }
        return r.attach(new Evidence(step.id(), type(), kind(), latest.origin(), query, since, until, Evidence.Status.OK, reason, values,
                latest.link()));
    }

    /** "1.41.0 (deploy) at 2025-11-26T10:00:00Z". */
    static String describe(ChangeEvent c) {
        return (c.version() == null || c.version().isEmpty() ? c.id() : c.version())
                + (c.kind() == null || c.kind().isEmpty() ? "" : " (" + c.kind() + ")")
                + (c.environment() == null ? "" : " in " + c.environment()) + " at " + c.time();
    }

    /** The step's values for a change (or none). */
    static Map<String, Object> values(ChangeEvent c, Instant until) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("found", c != null);
        values.put("time", c == null ? "" : c.time().toString());
        values.put("onset", c == null ? "" : c.time().toString());
        values.put("age_seconds", c == null ? Double.NaN : Duration.between(c.time(), until).toMillis() / 1000.0);
        values.put("version", c == null ? "" : nz(c.version()));
        values.put("previous_version", c == null ? "" : nz(c.previousVersion()));
        values.put("kind", c == null ? "" : nz(c.kind()));
        values.put("sender", c == null ? "" : nz(c.source()));
        values.put("environment", c == null ? "" : nz(c.environment()));
        values.put("source", values.get("kind"));
        values.put("link", c == null ? "" : nz(c.link()));
        values.put("id", c == null ? "" : c.id());
        values.put("author", c == null ? "" : nz(c.author()));
        values.put("commit_range", c == null ? "" : nz(c.commitRange()));
        values.put("origin", c == null ? "" : nz(c.origin()));
        return values;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
