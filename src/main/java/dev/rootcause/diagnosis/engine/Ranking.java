package dev.rootcause.diagnosis.engine;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Durations;
import dev.rootcause.rule.Layer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Weighs confounders: when several findings are supported (a change, a failing dependency, a saturated
 * resource), which one is the root cause and why the others are not, from their {@link Finding#onset()
 * onset} against the alert's start (timing) and their {@link Finding#scope() scope} (one downstream or several).
 *
 * <p>Order, first key first:
 * <ol>
 *   <li>verdict: supported, then ruled out, then no data (unchanged from before confounders were weighed);</li>
 *   <li>among supported findings, a tier:
 *     <ul>
 *       <li>{@code 0} plausible: began at most {@link Policy#maxLead()} before the alert and at most
 *           {@link Policy#lateAfter()} after it (or its onset is unknown);</li>
 *       <li>{@code 1} doubtful: began more than {@code lateAfter} after the alert started (more likely a
 *           consequence than the cause), or a dependency finding whose evidence saw several downstreams slow
 *           together and none alone ({@code scope several}) while a finding about the service itself (any other
 *           layer) is supported: many downstreams at once points at what they share, the caller;</li>
 *       <li>{@code 2} not blamed: began more than {@code maxLead} before the alert (a deploy three days old did
 *           not start a symptom that began now). Such a finding is never the root cause;</li>
 *     </ul></li>
 *   <li>declared confidence: high, medium, low;</li>
 *   <li>onset: the earlier first (a cause precedes its effects), a known onset before an unknown one;</li>
 *   <li>the order the rules ran in (stable).</li>
 * </ol>
 * For each supported finding the root cause was preferred over, and each one not blamed, a note says why; a finding
 * of the root cause's own rule resting on evidence the root cause cites too is the same cause and is not weighed.
 * A supported finding of another rule that names the same cause ({@link SameCause#how}) is not weighed either: it
 * agrees, the note says so, and its evidence counts with the root cause's ({@link Result#agreeing()}). Of two such
 * findings the one with the higher declared confidence leads, then the one with more evidence kinds.
 */
public final class Ranking {

    /** Onsets this close to the alert's start count as "with the alert" in notes. */
    private static final Duration SAME_TIME = Duration.ofSeconds(30);

    /**
     * The limits of plausible timing.
     *
     * @param maxLead   how long before the alert's start a cause may have begun and still be blamed
     *                  ({@code rootcause.diagnosis.ranking.max-lead}, default 24 h)
     * @param lateAfter how long after the alert's start a cause may have begun without being doubted as a
     *                  consequence ({@code rootcause.diagnosis.ranking.late-after}, default 10 min; an alert's
     *                  {@code for:} and rate windows make metric onsets trail the symptom by a few minutes)
     */
    public record Policy(Duration maxLead, Duration lateAfter) {

        /** 24 h and 10 min. */
        public static final Policy DEFAULT = new Policy(Duration.ofHours(24), Duration.ofMinutes(10));

        public Policy {
            if (maxLead.isNegative() || lateAfter.isNegative()) {
                throw new IllegalArgumentException("ranking limits must not be negative: maxLead " + maxLead + ", lateAfter " + lateAfter);
            }
        }
    }

    /**
     * @param ranked    every finding, best first
     * @param rootCause the finding to blame, or null when none is supported or every supported one is not blamed
     * @param notes     why the root cause was preferred over each other supported finding, and why each
     *                  finding that was not blamed was not
     * @param notBlamed the supported findings that began too long before the alert to be blamed
     * @param agreeing  the supported findings of other rules that name the root cause's cause: one cause with it
     */
    public record Result(List<Finding> ranked, Finding rootCause, List<String> notes, List<Finding> notBlamed,
            List<Finding> agreeing) {
        public Result {
            ranked = List.copyOf(ranked);
            notes = List.copyOf(notes);
            notBlamed = List.copyOf(notBlamed);
            agreeing = List.copyOf(agreeing);
        }
    }

    private final Policy policy;

    public Ranking(Policy policy) {
        this.policy = policy;
    }

    /**
     * Ranks the findings of one diagnosis.
     *
     * @param alertStart when the symptom began (the alert's {@code startsAt})
     */
    public Result rank(List<Finding> findings, Instant alertStart) {
        return rank(findings, alertStart, f -> SameCause.UNKNOWN);
    }

    /**
     * Ranks the findings of one diagnosis, counting findings that name one cause as one.
     *
     * @param alertStart when the symptom began (the alert's {@code startsAt})
     * @param identity   what each finding blames and the evidence kinds behind it ({@link SameCause#of})
     */
    public Result rank(List<Finding> findings, Instant alertStart, Function<Finding, SameCause> identity) {
        boolean ownSupported = findings.stream().anyMatch(f -> supported(f) && f.layer() != Layer.DEPENDENCY);
        Comparator<Finding> order = Comparator
                .comparingInt((Finding f) -> f.verdict().ordinal()) // declared supports, rules_out, no_data
                .thenComparingInt(f -> supported(f) ? tier(f, alertStart, ownSupported) : 0)
                .thenComparingInt(f -> f.confidence().ordinal()) // declared high, medium, low
                .thenComparing(f -> supported(f) && f.onset() != null ? f.onset() : Instant.MAX);
        List<Finding> ranked = new ArrayList<>(findings.stream().sorted(order).toList());
        Finding root = ranked.stream().filter(f -> supported(f) && tier(f, alertStart, ownSupported) < 2).findFirst().orElse(null);
        List<Finding> agreeing = new ArrayList<>();
        Map<Finding, String> how = new java.util.IdentityHashMap<>();
        if (root != null) {
            Finding first = root;
            List<Finding> same = ranked.stream().filter(f -> f != first && supported(f) && tier(f, alertStart, ownSupported) < 2
                    && !sameCause(first, f) && SameCause.how(first, identity.apply(first), f, identity.apply(f)) != null).toList();
            // of one cause seen by several rules, the higher declared confidence leads, then more evidence kinds
            Comparator<Finding> lead = Comparator.comparingInt((Finding f) -> f.confidence().ordinal())
                    .thenComparingInt(f -> -identity.apply(f).kinds().size());
            for (Finding f : same) {
                if (lead.compare(f, root) < 0) {
                    Collections.swap(ranked, ranked.indexOf(root), ranked.indexOf(f));
                    root = f;
                }
            }
            for (Finding f : same) {
                Finding other = f == root ? first : f;
                agreeing.add(other);
                how.put(other, SameCause.how(first, identity.apply(first), f, identity.apply(f)));
            }
        }
        List<String> notes = new ArrayList<>();
        List<Finding> notBlamed = new ArrayList<>();
        for (Finding f : ranked) {
            if (!supported(f) || f == root) {
                continue;
            }
            if (how.containsKey(f)) {
                SameCause of = identity.apply(f);
                notes.add("agrees: " + f.name() + " names the same cause as " + root.name() + " (" + how.get(f)
                        + "): one cause, not a rival"
                        + (of.kinds().isEmpty() ? "" : "; its " + String.join(", ", of.kinds()) + " evidence counts with it"));
            } else if (tier(f, alertStart, ownSupported) == 2) {
                notBlamed.add(f);
                notes.add("not blamed: " + f.name() + " " + when(f, alertStart) + ", more than " + Durations.span(policy.maxLead())
                        + " before the symptom" + (root == null ? "" : "; " + root.name() + " " + when(root, alertStart)));
            } else if (root != null && !sameCause(root, f)) {
                notes.add("preferred " + root.name() + " over " + f.name() + ": " + why(root, f, alertStart, ownSupported));
            }
        }
        return new Result(ranked, root, notes, notBlamed, agreeing);
    }

    /**
     * Notes for the changes a rule saw only before its lookback: for each ruled-out finding of the rule that
     * cites a {@code changes.latest} step which found nothing in its window but an earlier change
     * ({@code earlier_time}), "not blamed: rule/finding: the latest change of checkout, 1.41.0 (deploy) at ...,
     * began 3 days before the alert, before the 2 h its rule looks back". One note per rule and change.
     *
     * @param evidence the rule's evidence by step id
     */
    static List<String> earlierChanges(List<Finding> ruleFindings, Map<String, Evidence> evidence, Instant alertStart) {
        List<String> notes = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Finding f : ruleFindings) {
            if (f.verdict() != Verdict.RULES_OUT) {
                continue;
            }
            for (String step : f.cites()) {
                Evidence e = evidence.get(step);
                if (e == null || !e.ok() || !"changes.latest".equals(e.type()) || !Boolean.FALSE.equals(e.values().get("found"))
                        || !(e.values().get("earlier_time") instanceof String t) || t.isEmpty() || !seen.add(f.rule() + " " + t)) {
                    continue;
                }
                Instant at = Instant.parse(t);
                String version = String.valueOf(e.values().getOrDefault("earlier_version", ""));
                String source = String.valueOf(e.values().getOrDefault("earlier_source", ""));
                String lookback = e.windowStart() == null || e.windowEnd() == null ? "its lookback"
                        : "the " + Durations.span(Duration.between(e.windowStart(), e.windowEnd())) + " its rule looks back";
                notes.add("not blamed: " + f.name() + ": the latest change" + (version.isEmpty() ? "" : ", " + version)
                        + (source.isEmpty() ? "" : " (" + source + ")") + " at " + at + ", began "
                        + Durations.span(Duration.between(at, alertStart).abs()) + " before the alert, before " + lookback);
            }
        }
        return notes;
    }

    /**
     * Two findings of one rule that rest on the same evidence (cache penetration and its miss-key pattern) describe
     * one cause from two sides: the second is detail of the root cause, not a rival to weigh it against.
     */
    static boolean sameCause(Finding root, Finding other) {
        return root.rule().equals(other.rule()) && !other.cites().isEmpty() && root.cites().containsAll(other.cites());
    }

    private String why(Finding root, Finding other, Instant alertStart, boolean ownSupported) {
        if (doubtfulScope(other, ownSupported) && root.layer() != Layer.DEPENDENCY) {
            String detail = other.scopeDetail() == null ? "several downstreams slowed together" : other.scopeDetail();
            return detail + ": that points at the service itself (" + root.name() + "), not at a downstream; "
                    + root.name() + " " + when(root, alertStart);
        }
        if (late(other, alertStart)) {
            return other.name() + " " + when(other, alertStart) + ", more likely a consequence than the cause; "
                    + root.name() + " " + when(root, alertStart);
        }
        Confidence rc = root.confidence();
        Confidence oc = other.confidence();
        String timing = root.name() + " " + when(root, alertStart) + ", " + other.name() + " " + when(other, alertStart);
        if (rc != oc) {
            return "its confidence is " + root.confidence() + " against " + other.confidence() + " (" + timing + ")";
        }
        if (root.onset() != null && other.onset() != null && root.onset().isBefore(other.onset())) {
            return timing + ": the earlier one, as a cause precedes its effects";
        }
        if (root.onset() != null && other.onset() == null) {
            return timing + ": a known onset within the plausible window, at the same confidence";
        }
        return "equally supported (" + timing + "); the rules' order decided";
    }

    /** 0 plausible, 1 doubtful, 2 not blamed; see the class comment. */
    private int tier(Finding f, Instant alertStart, boolean ownSupported) {
        if (f.onset() != null && f.onset().isBefore(alertStart.minus(policy.maxLead()))) {
            return 2;
        }
        return late(f, alertStart) || doubtfulScope(f, ownSupported) ? 1 : 0;
    }

    private boolean late(Finding f, Instant alertStart) {
        return f.onset() != null && f.onset().isAfter(alertStart.plus(policy.lateAfter()));
    }

    private static boolean doubtfulScope(Finding f, boolean ownSupported) {
        return ownSupported && f.layer() == Layer.DEPENDENCY && Finding.SCOPE_SEVERAL.equals(f.scope());
    }

    private static boolean supported(Finding f) {
        return f.verdict() == Verdict.SUPPORTS;
    }

    /** "began 4 min before the alert", "began 3 days before the alert (2025-11-26T10:00:00Z)", "onset unknown". */
    static String when(Finding f, Instant alertStart) {
        if (f.onset() == null) {
            return "has no known onset (its evidence was taken at diagnosis time)";
        }
        Duration lead = Duration.between(f.onset(), alertStart);
        if (lead.abs().compareTo(SAME_TIME) <= 0) {
            return "began with the alert (" + f.onset() + ")";
        }
        return "began " + Durations.span(lead.abs()) + (lead.isNegative() ? " after the alert started" : " before the alert") + " (" + f.onset() + ")";
    }

}
