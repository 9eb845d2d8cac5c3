package dev.rootcause.chat.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rootcause.incident.stats.IncidentTimes;
import dev.rootcause.incident.stats.ResponseTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsCommandTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void saysMedianAndP90PerMilestoneAndWhatIsStillPending() {
        List<IncidentTimes> incidents = List.of(
                new IncidentTimes(1, "checkout", "deploy", "critical", T0, T0.plusSeconds(45), T0.plusSeconds(240), T0.plusSeconds(3600), 1),
                new IncidentTimes(2, "checkout", "deploy", "critical", T0, T0.plusSeconds(50), null, null, 0));
        String text = StatsCommand.describe("7d", ResponseTimes.of(T0.minusSeconds(7 * 86400), incidents, false));

        assertTrue(text.startsWith("**Response times, last 7d** (2 incidents, 1 reopened)\n"), text);
        assertTrue(text.contains("From the first alert's start, median / p90:\n• All: report 45s / 50s · ack 4m / 4m (1 not yet) · resolve 1h / 1h (1 not yet)\n"), text);
        assertTrue(text.contains("__By service__\n• `checkout` 2: report 45s / 50s"), text);
    }

    @Test
    void showsTheTopFiveOfEachDimensionAndSaysSo() {
        List<IncidentTimes> incidents = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            incidents.add(new IncidentTimes(i, "svc-" + i, null, null, T0, T0.plusSeconds(10), null, null, 0));
        }
        String text = StatsCommand.describe("30d", ResponseTimes.of(T0, incidents, false));

        assertTrue(text.contains("__By service__ (top 5 of 7)\n"), text);
        assertEquals(5, text.lines().filter(l -> l.startsWith("• `svc-")).count(), text);
    }

    @Test
    void anEmptyPeriodSaysSo() {
        String text = StatsCommand.describe("1h", ResponseTimes.of(T0, List.of(), false));
        assertEquals("**Response times, last 1h** (0 incidents, 0 reopened)\nNo incident opened in that period.", text);
    }
}
