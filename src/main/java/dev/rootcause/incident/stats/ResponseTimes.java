package dev.rootcause.incident.stats;

import dev.rootcause.incident.stats.IncidentTimes.Milestone;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Response times aggregated over a period: overall, per service, per root-cause rule and per severity.
 *
 * <p>How an incident counts (docs/operations.md, "Response times"): each time is measured from the earliest
 * {@code startsAt} of its alerts to the first report, the first acknowledgement and the first resolution. A reopened
 * incident keeps those first figures (its first resolution is when the group was believed over) and is counted
 * in {@code reopened}, so a service whose incidents come back shows it; an incident not yet acknowledged or
 * resolved is counted in that milestone's {@code pending}, never as zero. The same definition feeds the
 * histograms on {@code /q/metrics}.
 */
public final class ResponseTimes {

    /** What the service, rule or severity key is when the incident has none. */
    public static final String NONE = "(none)";

    private ResponseTimes() {
    }

    /**
     * One milestone's figures over a set of incidents; seconds, rounded to whole seconds; null when
     * {@code count} is 0.
     *
     * @param count   incidents that reached the milestone
     * @param pending incidents that have not (yet)
     * @param p50Seconds the median (nearest rank)
     * @param p90Seconds the 90th percentile (nearest rank)
     */
    public record Figures(int count, int pending, Long p50Seconds, Long p90Seconds, Long maxSeconds, Long meanSeconds) {
    }

    /**
     * The figures of one group of incidents.
     *
     * @param key         the service, rule id or severity; {@value #NONE} for incidents without one; null overall
     * @param incidents   incidents in the group
     * @param reopened    of them, those reopened at least once
     */
    public record Group(String key, int incidents, int reopened, Figures firstReport, Figures acknowledge, Figures resolve) {
    }

    /**
     * The answer for a period.
     *
     * @param since     the period's start (incidents opened at or after it)
     * @param truncated true when more incidents started in the period than were read (the most recent were kept)
     */
    public record Summary(Instant since, boolean truncated, Group overall, List<Group> byService, List<Group> byRule,
            List<Group> bySeverity) {
    }

    /**
     * @param since     the period's start, echoed in the answer
     * @param incidents the incidents of the period
     * @param truncated whether the store held more than were read
     */
    public static Summary of(Instant since, List<IncidentTimes> incidents, boolean truncated) {
        return new Summary(since, truncated, group(null, incidents), groups(incidents, IncidentTimes::service),
                groups(incidents, IncidentTimes::rule), groups(incidents, IncidentTimes::severity));
    }

    private static List<Group> groups(List<IncidentTimes> incidents, Function<IncidentTimes, String> key) {
        Map<String, List<IncidentTimes>> by = new TreeMap<>();
        for (IncidentTimes i : incidents) {
            String k = key.apply(i);
            by.computeIfAbsent(k == null || k.isBlank() ? NONE : k, x -> new ArrayList<>()).add(i);
        }
        List<Group> out = new ArrayList<>();
        by.forEach((k, list) -> out.add(group(k, list)));
        // most incidents first: the services that page most are what a reader looks for
        out.sort(Comparator.comparingInt(Group::incidents).reversed().thenComparing(Group::key));
        return out;
    }

    static Group group(String key, List<IncidentTimes> incidents) {
        int reopened = (int) incidents.stream().filter(i -> i.reopens() > 0).count();
        return new Group(key, incidents.size(), reopened, figures(incidents, Milestone.FIRST_REPORT),
                figures(incidents, Milestone.ACKNOWLEDGE), figures(incidents, Milestone.RESOLVE));
    }

    static Figures figures(List<IncidentTimes> incidents, Milestone m) {
        List<Long> seconds = new ArrayList<>();
        for (IncidentTimes i : incidents) {
            Optional<Duration> d = i.to(m);
            d.ifPresent(x -> seconds.add(x.toSeconds()));
        }
        int pending = incidents.size() - seconds.size();
        if (seconds.isEmpty()) {
            return new Figures(0, pending, null, null, null, null);
        }
        seconds.sort(null);
        long sum = seconds.stream().mapToLong(Long::longValue).sum();
        return new Figures(seconds.size(), pending, rank(seconds, 0.5), rank(seconds, 0.9), seconds.get(seconds.size() - 1),
                Math.round((double) sum / seconds.size()));
    }

    /** Nearest-rank percentile of sorted values: the smallest value with at least {@code p} of them at or below it. */
    static long rank(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
