package dev.rootcause.api.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.incident.Feedback;
import dev.rootcause.incident.FeedbackRepository;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentLinks;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.ReportRepository;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The incident list reads the store a fixed number of times whatever its number of rows: the incidents, their
 * verdicts (one {@link FeedbackRepository#verdicts} call, one statement per 1,000 ids), the per-rule counts. Before,
 * it asked each row's verdict on its own. The stores are stand-ins that count every call.
 */
class IncidentListReadsTest {

    private final Map<String, Integer> calls = new HashMap<>();

    @SuppressWarnings("unchecked")
    private <T> T counting(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            calls.merge(type.getSimpleName() + "." + method.getName(), 1, Integer::sum);
            if (!answers.containsKey(method.getName())) {
                throw new AssertionError("the list should not call " + type.getSimpleName() + "." + method.getName());
            }
            Object answer = answers.get(method.getName());
            return answer instanceof java.util.function.Function<?, ?> f ? ((java.util.function.Function<Object[], Object>) f).apply(args)
                    : answer;
        });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Integer> listCalls(int rows) {
        calls.clear();
        List<Incident> incidents = LongStream.rangeClosed(1, rows).mapToObj(IncidentListReadsTest::incident).toList();
        IncidentRepository store = counting(IncidentRepository.class, Map.of("list", incidents));
        ReportRepository reports = counting(ReportRepository.class, Map.of());
        java.util.function.Function<Object[], Object> verdicts = args -> {
            Map<Long, Feedback.Verdict> out = new HashMap<>();
            ((Collection<Long>) args[0]).forEach(id -> {
                if (id % 2 == 0) {
                    out.put(id, Feedback.Verdict.WRONG);
                }
            });
            return out;
        };
        FeedbackRepository feedback = counting(FeedbackRepository.class, Map.of("verdicts", verdicts, "countsPerRule",
                List.of(new Feedback.RuleCounts("cache-hit-rate", 1, 2, 3))));
        PageViews.ListPage page = new IncidentPages(store, reports, feedback, IncidentLinks.of(null))
                .list(new PageViews.Viewer("ann", "c", true, true, true, true), null, null, null);
        assertThat(page.rows()).hasSize(rows);
        assertThat(page.rows().stream().filter(r -> "wrong".equals(r.verdict())).count()).isEqualTo(rows / 2);
        return new HashMap<>(calls);
    }

    @Test
    void fiveRowsAndFiveHundredRowsReadTheSameThreeTimes() {
        Map<String, Integer> five = listCalls(5);
        Map<String, Integer> many = listCalls(500);
        assertThat(five).isEqualTo(Map.of("IncidentRepository.list", 1, "FeedbackRepository.verdicts", 1,
                "FeedbackRepository.countsPerRule", 1));
        assertThat(many).isEqualTo(five);
    }

    private static Incident incident(long id) {
        Instant at = Instant.parse("2026-05-14T09:00:00Z").plusSeconds(id);
        return new Incident(id, "alertmanager", "{}:{n=\"" + id + "\"}", 1, "rootcause", null, "incident " + id,
                id % 3 == 0 ? "resolved" : "open", "critical", at, at, null, null, null, null, 1, 0, Map.of(),
                Map.of("service", "svc-" + (id % 4)), Map.of(), "cause " + id, "medium", null, null);
    }
}
