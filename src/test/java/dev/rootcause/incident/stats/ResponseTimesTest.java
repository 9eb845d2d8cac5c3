package dev.rootcause.incident.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rootcause.incident.stats.IncidentTimes.Milestone;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseTimesTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    /** An incident started at T0 whose milestones came after the given seconds (null: not yet). */
    private static IncidentTimes incident(long id, String service, String rule, String severity, Long report, Long ack,
            Long resolve, int reopens) {
        return new IncidentTimes(id, service, rule, severity, T0, at(report), at(ack), at(resolve), reopens);
    }

    private static Instant at(Long seconds) {
        return seconds == null ? null : T0.plusSeconds(seconds);
    }

    @Test
    void percentilesAreNearestRankOverTheIncidentsThatReachedTheMilestone() {
        List<IncidentTimes> incidents = List.of(
                incident(1, "checkout", "deploy", "critical", 30L, 120L, 600L, 0),
                incident(2, "checkout", "deploy", "critical", 40L, 300L, 1200L, 0),
                incident(3, "checkout", null, "warning", 50L, null, 1800L, 1),
                incident(4, "search", "cache-hit-rate", "warning", 60L, 900L, null, 0));
        ResponseTimes.Summary s = ResponseTimes.of(T0.minus(Duration.ofDays(30)), incidents, false);

        ResponseTimes.Figures ack = s.overall().acknowledge();
        assertEquals(3, ack.count());
        assertEquals(1, ack.pending(), "incident 3 was never acknowledged: pending, not zero");
        assertEquals(300L, ack.p50Seconds());
        assertEquals(900L, ack.p90Seconds());
        assertEquals(900L, ack.maxSeconds());
        assertEquals(440L, ack.meanSeconds());
        assertEquals(1200L, s.overall().resolve().p50Seconds());
        assertEquals(1, s.overall().reopened());
        assertEquals(4, s.overall().incidents());
    }

    @Test
    void groupsPerServiceRuleAndSeverityMostIncidentsFirstAndNamesTheMissingKey() {
        List<IncidentTimes> incidents = List.of(
                incident(1, "search", "deploy", "critical", 30L, 60L, 90L, 0),
                incident(2, "checkout", null, null, 30L, 60L, 90L, 0),
                incident(3, "checkout", "deploy", "critical", 30L, 60L, 90L, 0));
        ResponseTimes.Summary s = ResponseTimes.of(T0, incidents, true);

        assertEquals(List.of("checkout", "search"), s.byService().stream().map(ResponseTimes.Group::key).toList());
        assertEquals(List.of("deploy", ResponseTimes.NONE), s.byRule().stream().map(ResponseTimes.Group::key).toList());
        assertEquals(List.of("critical", ResponseTimes.NONE), s.bySeverity().stream().map(ResponseTimes.Group::key).toList());
        assertEquals(2, s.byService().get(0).incidents());
        assertNull(s.overall().key());
        assertEquals(true, s.truncated());
    }

    @Test
    void noIncidentReachedTheMilestoneGivesNullFiguresNotZero() {
        ResponseTimes.Figures f = ResponseTimes.figures(List.of(incident(1, "a", null, null, null, null, null, 0)), Milestone.RESOLVE);
        assertEquals(0, f.count());
        assertEquals(1, f.pending());
        assertNull(f.p50Seconds());
        assertNull(f.meanSeconds());
    }

    @Test
    void aMilestoneBeforeTheAlertStartedCountsAsZeroNotNegative() {
        // the sender's clock ahead of ours: startsAt after our acknowledgement
        IncidentTimes i = new IncidentTimes(1, "a", null, null, T0, null, T0.minusSeconds(5), null, 0);
        assertEquals(Duration.ZERO, i.to(Milestone.ACKNOWLEDGE).orElseThrow());
        assertFalse(i.to(Milestone.RESOLVE).isPresent());
    }
}
