package dev.rootcause.incident.stats;

import java.time.Duration;
import java.time.Instant;

/**
 * When one incident's milestones happened, as stored: the input of {@link ResponseTimes}.
 *
 * @param incidentId    the incident
 * @param service       its {@code service} label (common, then group labels), else {@code job}; null when neither
 * @param rule          the rule id of its latest root cause; null when no root cause was determined (yet)
 * @param severity      its severity (the most severe of its alerts); null without a severity label
 * @param startedAt     the earliest {@code startsAt} of its alerts ever stored; never null (the incident's opening
 *                      time when no alert carried one)
 * @param firstReportAt when its first diagnosis report was stored; null before
 * @param acknowledgedAt its first acknowledgement; null when never acknowledged
 * @param resolvedAt    its first resolution (by a person or because every alert resolved); null while never resolved
 * @param reopens       how often it was reopened (the group fired again within the reopen window)
 */
public record IncidentTimes(long incidentId, String service, String rule, String severity, Instant startedAt,
        Instant firstReportAt, Instant acknowledgedAt, Instant resolvedAt, int reopens) {

    /** The three response times, each measured from {@code startedAt}. */
    public enum Milestone {
        /** to the first diagnosis report stored (the chat post follows through the outbox) */
        FIRST_REPORT("first_report"),
        /** to the first acknowledgement */
        ACKNOWLEDGE("acknowledge"),
        /** to the first resolution */
        RESOLVE("resolve");

        private final String wire;

        Milestone(String wire) {
            this.wire = wire;
        }

        /** The metric label value: {@code first_report}, {@code acknowledge}, {@code resolve}. */
        public String wire() {
            return wire;
        }
    }

    public IncidentTimes {
        if (startedAt == null) {
            throw new IllegalArgumentException("startedAt of incident " + incidentId + " is required");
        }
    }

    /** The time to a milestone, never negative (a sender's clock ahead of ours); empty when it has not happened. */
    public java.util.Optional<Duration> to(Milestone m) {
        Instant at = switch (m) {
            case FIRST_REPORT -> firstReportAt;
            case ACKNOWLEDGE -> acknowledgedAt;
            case RESOLVE -> resolvedAt;
        };
        return at == null ? java.util.Optional.empty() : java.util.Optional.of(since(startedAt, at));
    }

    /** {@code to − from}, or zero when {@code to} is earlier. */
    public static Duration since(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
