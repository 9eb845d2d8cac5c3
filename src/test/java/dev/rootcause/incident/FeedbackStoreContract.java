package dev.rootcause.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.store.Database;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The verdict SQL of {@link FeedbackRepository} (V15's {@code feedback_*} and {@code root_cause_rule} columns) on each
 * store: a verdict stored, replaced and read back; many incidents' verdicts in one statement; the per-rule counts of
 * {@code GET /api/v1/stats}. The counts span the whole table, which other tests fill too: each test judges rules of
 * its own (a random suffix) and compares the "no root cause" row before and after.
 */
abstract class FeedbackStoreContract {

    @Inject
    IncidentRepository incidents;

    @Inject
    FeedbackRepository feedback;

    @Inject
    Database db;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** A new incident whose latest root cause is {@code cause} by {@code rule} (both null: none determined). */
    long incident(String rule, String cause) throws Exception {
        Notification n = new Notification("alertmanager", "ops", Alert.Status.FIRING, "{}:{case=\"" + UUID.randomUUID() + "\"}",
                Map.of(), Map.of(), Map.of(), null, 0, List.of());
        long id = incidents.insert(n, 1, "feedback contract", "warning", Instant.now());
        db.update("UPDATE incident SET root_cause = ?, root_cause_confidence = ?, root_cause_rule = ? WHERE id = ?", cause,
                cause == null ? null : "medium", rule, id);
        return id;
    }

    Feedback verdict(Feedback.Verdict v, String actual, String rule, String cause, String by) {
        return new Feedback(v, actual, rule, cause, by, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void aVerdictIsStoredReplacedAndReadBackWhole() throws Exception {
        String rule = "rule-" + run;
        long id = incident(rule, "cache penetration on cache-a");
        assertThat(feedback.find(id)).isEmpty();
        assertThat(feedback.rootCauseRule(id)).contains(rule);
        // what people type: quotes, an apostrophe, accents, an emoji (a surrogate pair), the longest text kept
        String actual = ("a 'bad' deploy of \"cache-client\" — déjà vu 🔥 ").repeat(30).substring(0, Feedback.MAX_ACTUAL);
        Feedback wrong = verdict(Feedback.Verdict.WRONG, actual, rule, "cache penetration on cache-a", "Zoë");
        feedback.save(id, wrong);
        assertThat(feedback.find(id)).contains(wrong);
        Feedback right = verdict(Feedback.Verdict.RIGHT, null, rule, "cache penetration on cache-a", "bob");
        feedback.save(id, right);
        assertThat(feedback.find(id)).as("the latest verdict wins").contains(right);
        assertThat(feedback.find(Long.MAX_VALUE)).isEmpty();
        assertThat(feedback.rootCauseRule(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void verdictsOfManyIncidentsComeInBatches() throws Exception {
        long right = incident("rule-" + run, "x");
        long wrong = incident("rule-" + run, "x");
        long none = incident("rule-" + run, "x");
        feedback.save(right, verdict(Feedback.Verdict.RIGHT, null, "rule-" + run, "x", "a"));
        feedback.save(wrong, verdict(Feedback.Verdict.WRONG, "y", "rule-" + run, "x", "a"));
        List<Long> ids = new ArrayList<>(List.of(right, wrong, none));
        // past one batch: ids that do not exist fill it
        LongStream.range(0, FeedbackRepository.BATCH + 5).forEach(i -> ids.add(Long.MAX_VALUE - i));
        assertThat(feedback.verdicts(ids)).isEqualTo(Map.of(right, Feedback.Verdict.RIGHT, wrong, Feedback.Verdict.WRONG));
        assertThat(feedback.verdicts(List.of())).isEmpty();
    }

    @Test
    void countsPerRuleSplitRightWrongAndNotJudged() throws Exception {
        String a = "a-rule-" + run;
        String b = "b-rule-" + run;
        Feedback.RuleCounts noneBefore = noRootCauseRow();
        for (int i = 0; i < 2; i++) {
            feedback.save(incident(a, "cause a"), verdict(Feedback.Verdict.RIGHT, null, a, "cause a", "amy"));
        }
        feedback.save(incident(a, "cause a"), verdict(Feedback.Verdict.WRONG, "it was DNS", a, "cause a", "amy"));
        incident(a, "cause a");
        incident(a, "cause a");
        // judged under rule a, then a new diagnosis blamed rule b: the verdict stays a's, b has nothing to count
        long rediagnosed = incident(a, "cause a");
        feedback.save(rediagnosed, verdict(Feedback.Verdict.WRONG, "the network", a, "cause a", "amy"));
        db.update("UPDATE incident SET root_cause = ?, root_cause_rule = ? WHERE id = ?", "cause b", b, rediagnosed);
        incident(b, "cause b");
        // a verdict on "not determined" counts in the rule-null row
        feedback.save(incident(null, null), verdict(Feedback.Verdict.WRONG, "the disk filled", null, null, "amy"));
        incident(null, null); // no root cause, no verdict: counted nowhere

        List<Feedback.RuleCounts> counts = feedback.countsPerRule();
        assertThat(counts).contains(new Feedback.RuleCounts(a, 2, 2, 2), new Feedback.RuleCounts(b, 0, 0, 1));
        Feedback.RuleCounts none = noRootCauseRow();
        assertThat(none.wrong() - noneBefore.wrong()).isEqualTo(1);
        assertThat(none.right() - noneBefore.right()).isZero();
        assertThat(none.notJudged()).isZero();
        assertThat(counts.get(counts.size() - 1).rule()).as("the no-root-cause row comes last").isNull();
        List<String> rules = counts.stream().map(Feedback.RuleCounts::rule).filter(r -> r != null).toList();
        assertThat(rules).isSorted();
    }

    private Feedback.RuleCounts noRootCauseRow() {
        return feedback.countsPerRule().stream().filter(c -> c.rule() == null).findFirst()
                .orElse(new Feedback.RuleCounts(null, 0, 0, 0));
    }
}
