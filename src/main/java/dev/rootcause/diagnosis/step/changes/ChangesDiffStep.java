package dev.rootcause.diagnosis.step.changes;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.rule.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code changes.diff}: what differs between the revision the latest change (before {@code at}, within
 * {@code lookback}) put in place and the one before it: versions, container images, environment (values
 * that may be secrets hidden). {@code with}: as {@code changes.latest}.
 *
 * <p>Values: {@code found}, {@code version_changed}, {@code images_changed} and {@code env_changed}
 * (counts), {@code changed} (all differences), {@code images} and {@code env} ("; "-joined
 * {@code name: before → after}, "(unset)" for a side that lacks it), {@code summary}, {@code known}
 * (false when the source knows versions only, e.g. a change posted to the API without details).
 */
public class ChangesDiffStep extends ChangeLookup.Step {

    /** Over the sources {@code sources} gives at each run (the service's: only those configured, looked up lazily). */
    public ChangesDiffStep(java.util.function.Supplier<List<ChangeSource>> sources) {
        super(sources);
    }

    /** Over these sources (the rule-test command). */
    public ChangesDiffStep(List<ChangeSource> sources) {
        super(() -> sources);
    }

    @Override
    public String type() {
        return "changes.diff";
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("found", true);
        out.put("known", true);
        out.put("version_changed", true);
        out.put("images_changed", 0L);
        out.put("env_changed", 0L);
        out.put("changed", 0L);
        out.put("images", "");
        out.put("env", "");
        out.put("summary", "");
        return out;
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        ChangeLookup.Result r;
        try {
            r = lookup.find(step, alert, vars, previous);
        } catch (RuntimeException e) {
            return StepParams.atFailed(step, this, null, e);
        }
        String service = r.service();
        Instant since = r.since();
        Instant until = r.until();
        String query = "diff of the latest of the " + r.what() + " of " + service + " in [" + since + ", " + until + "]";
        if (r.notChecked() != null) {
            return r.attach(new Evidence(step.id(), type(), kind(), r.sources(), query, since, until, Evidence.Status.SKIPPED,
                    r.notChecked(), Map.of(), null));
        }
        if (r.changes().isEmpty()) {
            // in this order every time (Map.of's order changes from one JVM run to the next, and reports show it)
            Map<String, Object> none = new LinkedHashMap<>();
            none.put("found", false);
            none.put("changed", 0);
            return r.failures().isEmpty()
                    ? r.attach(new Evidence(step.id(), type(), kind(), r.sources(), query, since, until, Evidence.Status.OK,
                            "no " + r.what() + " of " + service + " in the window", none, null))
                    : r.attach(new Evidence(step.id(), type(), kind(), r.sources(), query, since, until, r.worst(),
                            String.join("; ", r.failures()), Map.of(), null));
        }
        ChangeEvent c = r.changes().get(0);
        Map<String, Object> values = diff(c);
        return r.attach(new Evidence(step.id(), type(), kind(), c.origin(), query, since, until, Evidence.Status.OK,
                r.failures().isEmpty() ? c.note() : "a later change may be missing: " + String.join("; ", r.failures()),
                values, c.link()));
    }

    /** The differences a change made, as the step's values. */
    public static Map<String, Object> diff(ChangeEvent c) {
        boolean versionChanged = c.previousVersion() == null || !c.previousVersion().equals(c.version());
        List<String> images = differences(c, "image/");
        List<String> env = differences(c, "env/");
        boolean known = !c.state().isEmpty();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("found", true);
        values.put("known", known);
        values.put("version_changed", versionChanged);
        values.put("images_changed", images.size());
        values.put("env_changed", env.size());
        values.put("changed", images.size() + env.size() + (versionChanged && images.isEmpty() ? 1 : 0));
        values.put("images", String.join("; ", images));
        values.put("env", String.join("; ", env));
        List<String> summary = new ArrayList<>();
        summary.add("version " + (c.previousVersion() == null ? "(unknown)" : c.previousVersion()) + " → " + c.version());
        if (!images.isEmpty()) {
            summary.add("images: " + String.join("; ", images));
        }
        if (!env.isEmpty()) {
            summary.add("env: " + String.join("; ", env));
        }
        if (!known) {
            summary.add(c.origin() + " knows the versions only (no images or configuration)");
        }
        values.put("summary", String.join("; ", summary));
        return values;
    }

    private static List<String> differences(ChangeEvent c, String prefix) {
        TreeSet<String> keys = new TreeSet<>();
        c.state().keySet().stream().filter(k -> k.startsWith(prefix)).forEach(keys::add);
        c.previousState().keySet().stream().filter(k -> k.startsWith(prefix)).forEach(keys::add);
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            String before = c.previousState().get(k);
            String after = c.state().get(k);
            if (before == null ? after != null : !before.equals(after)) {
                out.add(k.substring(prefix.length()) + ": " + (before == null ? "(unset)" : before) + " → "
                        + (after == null ? "(unset)" : after));
            }
        }
        return out;
    }
}
