package dev.rootcause.diagnosis.step.changes;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.ChangeSourceException;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.metrics.MetricsCompareStep;
import dev.rootcause.rule.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Asks every configured {@link ChangeSource} for a service's changes in a window, for the {@code changes.*}
 * steps. A source that fails is named in {@link Result#failures()}: with nothing found elsewhere the step is
 * an error (absence of evidence is not evidence of absence); with a change found it is kept as a caveat.
 */
final class ChangeLookup {

    static final Set<String> PARAMS = Set.of("service", "lookback", "at", "kinds", "sources");

    /**
     * @param changes  newest first, across sources
     * @param failures one line per source that failed, e.g. {@code kubernetes: error: ...}
     * @param worst    {@code timeout} when any failure was one, else {@code error}; null without failures
     * @param sources  names of the sources asked, e.g. {@code api+kubernetes}; {@code none} when no source is configured
     * @param received some source hears of this service's changes at all ({@link ChangeSource#receives}); false when
     *                 none does (nothing reaches rootcause for it: an empty answer proves nothing)
     */
    record Result(List<ChangeEvent> changes, List<String> failures, Evidence.Status worst, String sources, String service,
            Instant since, Instant until, Set<String> kinds, List<Evidence.Recorded> recorded, boolean received) {

        /**
         * Why an empty answer proves nothing, or null when it is a real "no change": no change source is configured,
         * or none hears of this service ({@code no change events reach rootcause for checkout (wire your CI/CD …)}); the
         * step is then skipped, which the report and the layered verdict call "not checked".
         */
        String notChecked() {
            if (!changes.isEmpty() || !failures.isEmpty()) {
                return null;
            }
            if ("none".equals(sources)) {
                return "no change source is configured (wire your CI/CD to POST /api/v1/changes, or enable"
                        + " Kubernetes rollout history; docs/sources.md#change-events-and-kubernetes)";
            }
            return received ? null : "no change events reach rootcause for " + service + " (wire your CI/CD to POST"
                    + " /api/v1/changes for it, or enable Kubernetes rollout history; docs/sources.md#change-events-and-kubernetes)";
        }

        /** The evidence with the sources' answers recorded on it. */
        Evidence attach(Evidence e) {
            return e.withRecorded(recorded);
        }

        /** How evidence names what was looked for: "changes", or e.g. "config/flag changes". */
        String what() {
            return kinds.isEmpty() ? "changes" : String.join("/", new java.util.TreeSet<>(kinds)) + " changes";
        }
    }

    private final Supplier<List<ChangeSource>> sources;

    ChangeLookup(Supplier<List<ChangeSource>> sources) {
        this.sources = sources;
    }

    /**
     * The common part of the {@code changes.*} steps: their sources, {@code kind} {@code change}, and the
     * parameters {@code service} (required), {@code lookback} (duration, default 6h), {@code at} and
     * {@code kinds} (a list of kinds of change, {@link ChangeEvent#KINDS}, e.g. {@code [config, flag]}; absent: every kind;
     * {@code sources} is its deprecated old name, warned about once).
     */
    abstract static class Step implements StepRunner {

        final ChangeLookup lookup;

        Step(Supplier<List<ChangeSource>> sources) {
            this.lookup = new ChangeLookup(sources);
        }

        @Override
        public String kind() {
            return "change";
        }

        @Override
        public void check(Map<String, Object> with) {
            StepParams.keys(with, PARAMS, Set.of("service"));
            StepParams.duration(with, "lookback");
            StepParams.at(with);
            sources(with);
        }
    }

    /**
     * The kinds of change a step asks for: {@code with.kinds} (or its deprecated old name {@code with.sources}), empty
     * (every kind) when absent.
     *
     * @throws IllegalArgumentException {@code kinds: ...} when it is not a non-empty list of known kinds, or both are given
     */
    static Set<String> sources(Map<String, Object> with) {
        String key = "kinds";
        Object v = with.get("kinds");
        if (with.get("sources") != null) {
            if (v != null) {
                throw new IllegalArgumentException("sources: the old name of kinds; give kinds only");
            }
            key = "sources";
            v = with.get("sources");
            dev.rootcause.support.Deprecations.warnOnce("step-param:changes.sources", "changes.* steps: with.sources is now called "
                    + "with.kinds (the kinds of change); sources still works (CHANGELOG.md, Deprecated)");
        }
        if (v == null) {
            return Set.of();
        }
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(key + ": expected a non-empty list of " + new java.util.TreeSet<>(ChangeEvent.KINDS)
                    + ", e.g. [config, flag]; got " + v);
        }
        Set<String> out = new java.util.TreeSet<>();
        for (Object o : list) {
            if (!ChangeEvent.KINDS.contains(String.valueOf(o))) {
                throw new IllegalArgumentException(key + ": " + o + " is not a kind of change; expected one of "
                        + new java.util.TreeSet<>(ChangeEvent.KINDS));
            }
            out.add(String.valueOf(o));
        }
        return Set.copyOf(out);
    }

    /** The window's end: {@code at} ({@code alert.startsAt} by default). */
    static Instant until(Rule.Step step, AlertContext alert, Map<String, Evidence> previous) {
        return StepParams.at(step.with(), alert, previous, "alert.startsAt");
    }

    static Duration lookback(Rule.Step step) {
        return StepParams.duration(step, "lookback", "6h");
    }

    /** The service named by {@code with.service}, its {@code $var}s filled. */
    static String service(Rule.Step step, Map<String, String> vars) {
        String text = String.valueOf(step.with().get("service"));
        for (Map.Entry<String, String> v : vars.entrySet()) {
            text = text.replace("$" + v.getKey(), v.getValue());
        }
        return text;
    }

    /**
     * The changes a step asks for: {@code with.service} in the {@code lookback} before {@code at}.
     *
     * @throws IllegalStateException when {@code at} cannot be resolved ({@link StepParams.NoTime}: nothing to anchor on)
     */
    Result find(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        Instant until = until(step, alert, previous);
        return find(service(step, vars), until.minus(lookback(step)), until, sources(step.with()));
    }

    /** @param kinds the kinds of change wanted; empty: every kind */
    Result find(String service, Instant since, Instant until, Set<String> kinds) {
        List<ChangeEvent> all = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Evidence.Status worst = null;
        List<String> names = new ArrayList<>();
        List<Evidence.Recorded> recorded = new ArrayList<>();
        boolean received = false;
        for (ChangeSource source : sources.get()) {
            names.add(source.name());
            try {
                List<ChangeEvent> answer = kinds.isEmpty() ? source.changes(service, since, until) : source.changes(service, since, until, kinds);
                all.addAll(answer);
                // an empty answer is "no change" only from a source that hears of this service at all
                boolean hears = !answer.isEmpty() || source.receives(service);
                received |= hears;
                recorded.add(recorded(source.name(), service, since, until, answer, hears));
            } catch (ChangeSourceException e) {
                failures.add(source.name() + ": " + e.status().wire() + ": " + e.getMessage());
                worst = worst == Evidence.Status.TIMEOUT ? worst : e.status();
            } catch (RuntimeException e) {
                failures.add(source.name() + ": error: " + e);
                worst = worst == null ? Evidence.Status.ERROR : worst;
            }
        }
        all.sort(Comparator.comparing(ChangeEvent::time).reversed());
        return new Result(all, failures, worst, names.isEmpty() ? "none" : String.join("+", names), service, since, until, kinds,
                recorded, received);
    }

    /**
     * One source's answer as recorded (kind {@code change}): one entry {@code {"service", "since", "until",
     * "changes": [{id, service, version, previousVersion, commitRange, author, time, kind, source, environment, link,
     * origin, state, previousState, note}], "received"}}, times RFC 3339 ({@code source} is the sender since issue 24);
     * {@code received} is {@link ChangeSource#receives}. A source that failed records nothing.
     */
    static Evidence.Recorded recorded(String source, String service, Instant since, Instant until, List<ChangeEvent> answer,
            boolean received) {
        List<Map<String, Object>> changes = new ArrayList<>();
        for (ChangeEvent c : answer) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("id", c.id());
            m.put("service", c.service());
            m.put("version", c.version());
            m.put("previousVersion", c.previousVersion());
            m.put("commitRange", c.commitRange());
            m.put("author", c.author());
            m.put("time", c.time().toString());
            m.put("kind", c.kind());
            m.put("source", c.source());
            m.put("environment", c.environment());
            m.put("link", c.link());
            m.put("origin", c.origin());
            m.put("state", c.state());
            m.put("previousState", c.previousState());
            m.put("note", c.note());
            changes.add(m);
        }
        return new Evidence.Recorded(source + ": changes of " + service + " in [" + since + ", " + until + "]",
                List.of(Map.of("service", service, "since", since.toString(), "until", until.toString(), "changes", changes,
                        "received", received)), "change");
    }
}
