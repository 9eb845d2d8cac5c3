package dev.rootcause.incident.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.incident.Alert;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.Notification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The group an incident's diagnosis stands for: its size, truncation, varying labels and the sender's clock skew. */
class GroupContextTest {

    static final Instant RECEIVED = Instant.parse("2026-06-01T09:02:00Z");

    static Incident incident(int truncated) {
        return new Incident(1, "alertmanager", "{}:{alertname=\"X\"}", 1, "rootcause", null, "X on checkout", "open", "critical",
                RECEIVED, RECEIVED, null, null, null, null, 3, truncated, Map.of(), Map.of("alertname", "X"), Map.of(), null, null, null, null);
    }

    static Alert alert(String fp, String pod, Instant startsAt) {
        return new Alert(fp, Alert.Status.FIRING, Map.of("alertname", "X", "pod", pod), Map.of(), startsAt, null, null);
    }

    @Test
    void aTruncatedGroupSaysItsSizeWhatWasLeftOutAndTheLabelsThatVary() {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            alerts.add(alert("f" + i, "pod-" + i, RECEIVED.minusSeconds(60)));
        }
        AlertContext c = DiagnosisRunner.context(incident(993), alerts, RECEIVED.plusSeconds(60));
        assertThat(c.group().alertCount()).isEqualTo(7);
        assertThat(c.group().truncatedAlerts()).isEqualTo(993);
        assertThat(c.group().total()).isEqualTo(1000);
        assertThat(c.group().varying()).containsOnlyKeys("pod");
        assertThat(c.group().skewSeconds()).isZero();
        assertThat(c.startsAt()).isEqualTo(RECEIVED.minusSeconds(60));
    }

    @Test
    void aSenderClockAheadOfOursIsNoticedAndTheWindowAnchoredAtOurReceipt() {
        Instant future = RECEIVED.plusSeconds(600);
        AlertContext c = DiagnosisRunner.context(incident(0), List.of(alert("f", "p", future)), RECEIVED.plusSeconds(30));
        assertThat(c.group().skewSeconds()).isEqualTo(600);
        assertThat(c.group().sentStartsAt()).isEqualTo(future);
        assertThat(c.startsAt()).isEqualTo(RECEIVED); // the "after" window no longer starts in our future
    }

    @Test
    void jitterWithinTheToleranceIsNotSkew() {
        AlertContext c = DiagnosisRunner.context(incident(0), List.of(alert("f", "p", RECEIVED.plusSeconds(20))), RECEIVED.plusSeconds(30));
        assertThat(c.group().skewSeconds()).isZero();
        assertThat(c.startsAt()).isEqualTo(RECEIVED.plusSeconds(20));
    }

    @Test
    void aGroupWithoutLabelsIsTitledFromItsSummaryNeverByAnEmptyGroupKey() {
        Alert a = new Alert("f", Alert.Status.FIRING, Map.of(), Map.of("summary", "Disk almost full on db-1"), RECEIVED, null, null);
        Notification n = new Notification("grafana", "rc", Alert.Status.FIRING, "{}:{}", Map.of(), Map.of(), Map.of(), null, 0, List.of(a));
        assertThat(IncidentService.title(n)).isEqualTo("Disk almost full on db-1");
        Alert bare = new Alert("g", Alert.Status.FIRING, Map.of(), Map.of(), RECEIVED, null, null);
        Notification none = new Notification("grafana", "rc", Alert.Status.FIRING, "{}:{}", Map.of(), Map.of(), Map.of(), null, 0, List.of(bare));
        assertThat(IncidentService.title(none)).isEqualTo("1 alert without labels or summary");
    }
}
