package dev.rootcause.diagnosis.step.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.diagnosis.port.TraceSource.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CriticalPathTest {

    static Span span(String id, String parent, String service, String kind, String peer, long startMs, long durMs) {
        return new Span(id, parent, service, "op", kind, peer, startMs * 1000, durMs * 1000, false, null);
    }

    @Test
    void sequentialCallsBlameEachDownstreamForItsOwnTime() {
        var r = CriticalPath.of(List.of(
                span("a", null, "checkout", "SERVER", null, 0, 100),
                span("b", "a", "checkout", "CLIENT", "auth", 10, 30),
                span("c", "b", "auth", "SERVER", null, 12, 26),
                span("d", "a", "checkout", "CLIENT", "payments", 50, 40),
                span("e", "d", "payments", "SERVER", null, 51, 38)));
        assertThat(r.totalMicros()).isEqualTo(100_000);
        assertThat(r.selfMicros()).containsEntry("auth", 26_000L).containsEntry("payments", 38_000L)
                .containsEntry("checkout", 36_000L);
        assertThat(r.selfMicros().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(r.totalMicros());
    }

    @Test
    void ofConcurrentChildrenOnlyTheLastToFinishIsOnThePathWhileTheyOverlap() {
        var r = CriticalPath.of(List.of(
                span("a", null, "checkout", "SERVER", null, 0, 100),
                span("b", "a", "checkout", "CLIENT", "inventory", 10, 50),  // 10..60
                span("c", "a", "checkout", "CLIENT", "payments", 20, 70))); // 20..90, no server spans: blamed on the peer
        assertThat(r.selfMicros()).containsEntry("payments", 70_000L).containsEntry("inventory", 10_000L)
                .containsEntry("checkout", 20_000L);
    }

    @Test
    void zipkinSharedSpanIdsAndDuplicatesAreOneCallEach() {
        var r = CriticalPath.of(List.of(
                span("a", null, "checkout", "SERVER", null, 0, 100),
                span("b", "a", "checkout", "CLIENT", "payments", 10, 80),
                span("b", "a", "payments", "SERVER", null, 11, 78),
                span("b", "a", "payments", "SERVER", null, 11, 78),  // reported twice
                span("x", "b", "payments", "CLIENT", "postgres", 20, 50)));
        assertThat(r.selfMicros()).containsEntry("postgres", 50_000L).containsEntry("payments", 28_000L)
                .containsEntry("checkout", 22_000L);
    }

    @Test
    void aSpanWithAMissingParentHangsUnderTheRoot() {
        var r = CriticalPath.of(List.of(
                span("a", null, "checkout", "SERVER", null, 0, 100),
                span("z", "never-reported", "payments", "SERVER", null, 60, 40)));
        assertThat(r.rootService()).isEqualTo("checkout");
        assertThat(r.selfMicros()).containsEntry("payments", 40_000L).containsEntry("checkout", 60_000L);
    }

    @Test
    void aChildOutsideItsParentIsShiftedInsideAndALongerOneClamped() {
        // the payments host's clock is 50 ms behind: its server span starts before the client's
        var skewed = CriticalPath.of(List.of(
                span("a", null, "checkout", "SERVER", null, 0, 100),
                span("b", "a", "checkout", "CLIENT", "payments", 10, 80),
                span("c", "b", "payments", "SERVER", null, -39, 78),
                span("d", "c", "payments", "CLIENT", "postgres", -30, 40)));
        var right = CriticalPath.of(List.of(
                span("a", null, "checkout", "SERVER", null, 0, 100),
                span("b", "a", "checkout", "CLIENT", "payments", 10, 80),
                span("c", "b", "payments", "SERVER", null, 11, 78),
                span("d", "c", "payments", "CLIENT", "postgres", 20, 40)));
        assertThat(skewed.selfMicros()).isEqualTo(right.selfMicros());
        var longer = CriticalPath.of(List.of(
                span("a", null, "checkout", "SERVER", null, 0, 100),
                span("b", "a", "checkout", "CLIENT", "payments", -20, 500)));
        assertThat(longer.selfMicros()).isEqualTo(Map.of("payments", 100_000L));
    }

    @Test
    void aReferenceCycleIsCutAndEmptyTracesHaveNoPath() {
        var r = CriticalPath.of(List.of(
                span("a", "b", "checkout", "SERVER", null, 0, 100),
                span("b", "a", "payments", "SERVER", null, 10, 50)));
        assertThat(r.selfMicros()).containsEntry("payments", 50_000L).containsEntry("checkout", 50_000L);
        assertThat(CriticalPath.of(List.of())).isNull();
    }
}
